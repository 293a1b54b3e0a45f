package dev.braid.bench.systems;

import dev.braid.bench.harness.BenchClient;
import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.Loop;
import dev.braid.bench.harness.Payloads;
import dev.braid.bench.harness.Scenario;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The practical limit of the JVM on loopback: a length-prefixed echo over plain Netty 4.2
 * (NIO, the transport braid uses), with everything on the event loop, zero-copy echo of the
 * received frame, flushes batched per read, and calls pipelined on one connection.
 *
 * <p>Frame: {@code int length} (of what follows), {@code byte op}, {@code long tag}, payload.
 * Ops: 1 echo (the server returns the frame as is), 2 stream request (payload: count, size),
 * 3 stream data (the pattern), 4 stream end. The tag names the client's slot and call.
 */
public final class NettySystem {
  private NettySystem() {}

  static final int HEADER = 13;
  static final byte ECHO = 1;
  static final byte STREAM_REQUEST = 2;
  static final byte STREAM_DATA = 3;
  static final byte STREAM_END = 4;
  static final int MAX_FRAME = 64 << 20;

  static LengthFieldBasedFrameDecoder decoder() {
    // keep the length field: the server echoes the received frame without rebuilding it
    return new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 0);
  }

  public static BenchServer server(InetSocketAddress listen, Faults faults) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
        new DefaultThreadFactory("netty-bench-server", true), NioIoHandler.newFactory());
    Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            LengthFieldBasedFrameDecoder d = decoder();
            // The echo keeps slices of the received bytes until they are written; a merging
            // cumulation shared that way would be copied on every read.
            d.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
            c.pipeline().addLast(d, new ServerHandler(faults));
          }
        })
        .bind(listen).syncUninterruptibly().channel();
    return new BenchServer() {
      @Override
      public InetSocketAddress address() {
        return (InetSocketAddress) ch.localAddress();
      }

      @Override
      public void close() {
        ch.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    };
  }

  static ByteBuf header(ByteBuf out, byte op, long tag, int payload) {
    return out.writeInt(9 + payload).writeByte(op).writeLong(tag);
  }

  private static final class ServerHandler extends ChannelInboundHandlerAdapter {
    private final Faults faults;
    private ByteBuf pattern;
    private int patternSize = -1;

    ServerHandler(Faults faults) {
      this.faults = faults;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf f = (ByteBuf) msg;
      byte op = f.getByte(4);
      long tag = f.getLong(5);
      switch (op) {
        case ECHO -> {
          if (faults.corruptNext()) {
            byte[] p = new byte[f.readableBytes() - 4 - 9];
            f.getBytes(4 + 9, p);
            f.release();
            byte[] c = Payloads.corrupt(p);
            ctx.write(header(ctx.alloc().buffer(HEADER + c.length), ECHO, tag, c.length)
                .writeBytes(c));
          } else {
            ctx.write(f); // zero copy: the received frame goes back as is
          }
        }
        case STREAM_REQUEST -> {
          int count = f.getInt(HEADER);
          int size = f.getInt(HEADER + 4);
          f.release();
          if (size != patternSize) {
            if (pattern != null) {
              pattern.release();
            }
            pattern = Unpooled.directBuffer(size).writeBytes(Payloads.pattern(size));
            patternSize = size;
          }
          for (int i = 0; i < count; i++) {
            ctx.write(header(ctx.alloc().buffer(HEADER), STREAM_DATA, tag, size));
            if (faults.corruptNext()) {
              ctx.write(Unpooled.wrappedBuffer(Payloads.corrupt(Payloads.pattern(size))));
            } else {
              ctx.write(pattern.retainedDuplicate());
            }
          }
          ctx.write(header(ctx.alloc().buffer(HEADER), STREAM_END, tag, 0));
        }
        default -> {
          f.release();
          ctx.close();
        }
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (pattern != null) {
        pattern.release();
        pattern = null;
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  public static BenchClient client(InetSocketAddress address, Cell cell) {
    return new Client(address, cell);
  }

  private static final class Client implements BenchClient {
    private final InetSocketAddress address;
    private final Cell cell;
    private EventLoopGroup group;
    private Channel channel;

    Client(InetSocketAddress address, Cell cell) {
      this.address = address;
      this.cell = cell;
    }

    @Override
    public int connections() {
      return 1;
    }

    @Override
    public void start(Loop loop) throws Exception {
      group = new MultiThreadIoEventLoopGroup(1,
          new DefaultThreadFactory("netty-bench-client", true), NioIoHandler.newFactory());
      Slot[] slots = new Slot[cell.inflight()];
      ClientHandler handler = new ClientHandler(slots, loop);
      channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel c) {
              c.pipeline().addLast(decoder(), handler);
            }
          })
          .connect(address).sync().channel();
      for (int i = 0; i < slots.length; i++) {
        slots[i] = cell.scenario() == Scenario.STREAM
            ? new StreamSlot(handler, i, cell, loop)
            : new EchoSlot(handler, i, cell.payloadBytes(), loop);
      }
      channel.eventLoop().submit(() -> {
        for (Slot s : slots) {
          s.issue();
        }
        channel.flush();
      }).sync();
    }

    @Override
    public void close() {
      if (channel != null) {
        channel.close().syncUninterruptibly();
      }
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  /** Dispatches frames to slots by tag; runs on the client's event loop. */
  private static final class ClientHandler extends ChannelInboundHandlerAdapter {
    private final Slot[] slots;
    private final Loop loop;
    private ChannelHandlerContext ctx;

    ClientHandler(Slot[] slots, Loop loop) {
      this.slots = slots;
      this.loop = loop;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    /**
     * Writes a frame. Slots send from inside a read (their previous call's response), so
     * one flush at the end of the read carries every call it started.
     */
    void send(ByteBuf frame) {
      ctx.write(frame, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf f = (ByteBuf) msg;
      try {
        long tag = f.getLong(5);
        int slot = (int) (tag >>> 40);
        if (slot < 0 || slot >= slots.length || slots[slot] == null) {
          loop.fail("raw-netty: frame with unknown tag " + Long.toHexString(tag));
          return;
        }
        byte op = f.getByte(4);
        f.skipBytes(HEADER);
        slots[slot].onFrame(op, tag, f);
      } finally {
        f.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (loop.running()) {
        loop.fail("raw-netty: connection closed by the server");
      }
      for (Slot s : slots) {
        if (s != null && !s.done) {
          s.done = true;
          loop.slotDone();
        }
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      loop.fail("raw-netty", cause);
      ctx.close();
    }
  }

  private abstract static class Slot {
    final ClientHandler out;
    final int slot;
    final Loop loop;
    long seq;
    long start;
    boolean done;

    Slot(ClientHandler out, int slot, Loop loop) {
      this.out = out;
      this.slot = slot;
      this.loop = loop;
    }

    abstract void issue();

    /** A frame for this slot; {@code payload}'s reader index is at the payload. */
    abstract void onFrame(byte op, long tag, ByteBuf payload);

    void next(long end, long msgs, long bytes) {
      loop.record(start, end, msgs, bytes);
      if (loop.running()) {
        issue();
      } else {
        stop();
      }
    }

    void stop() {
      if (!done) {
        done = true;
        loop.slotDone();
      }
    }

    void fail(String why) {
      loop.fail(why);
      stop();
    }
  }

  private static final class EchoSlot extends Slot {
    private final byte[] payload;

    EchoSlot(ClientHandler out, int slot, int size, Loop loop) {
      super(out, slot, loop);
      this.payload = Payloads.patternCopy(size);
    }

    @Override
    void issue() {
      long tag = Payloads.tag(slot, ++seq);
      Payloads.stamp(payload, tag);
      ByteBuf f = header(out.ctx.alloc().buffer(HEADER + payload.length), ECHO, tag,
          payload.length).writeBytes(payload);
      start = System.nanoTime();
      out.send(f);
    }

    @Override
    void onFrame(byte op, long tag, ByteBuf p) {
      long end = System.nanoTime();
      if (op != ECHO || tag != Payloads.tag(slot, seq)) {
        fail("raw-netty: unexpected frame op " + op + " tag " + Long.toHexString(tag));
        return;
      }
      if (!Payloads.same(p.nioBuffer(), payload)) {
        fail("raw-netty: echo differs from the request (" + p.readableBytes()
            + " bytes, expected " + payload.length + ")");
        return;
      }
      next(end, 1, payload.length);
    }
  }

  private static final class StreamSlot extends Slot {
    private final int count;
    private final int size;
    private final byte[] expected;
    private int received;

    StreamSlot(ClientHandler out, int slot, Cell cell, Loop loop) {
      super(out, slot, loop);
      this.count = cell.messagesPerCall();
      this.size = cell.payloadBytes();
      this.expected = Payloads.pattern(size);
    }

    @Override
    void issue() {
      long tag = Payloads.tag(slot, ++seq);
      received = 0;
      ByteBuf f = header(out.ctx.alloc().buffer(HEADER + 8), STREAM_REQUEST, tag, 8)
          .writeInt(count).writeInt(size);
      start = System.nanoTime();
      out.send(f);
    }

    @Override
    void onFrame(byte op, long tag, ByteBuf p) {
      if (done) {
        return;
      }
      if (tag != Payloads.tag(slot, seq)) {
        fail("raw-netty: stream frame with tag " + Long.toHexString(tag));
        return;
      }
      if (op == STREAM_DATA) {
        long now = System.nanoTime();
        if (!Payloads.same(p.nioBuffer(), expected)) {
          fail("raw-netty: stream message " + received + " differs from the pattern");
          return;
        }
        loop.record(start, now, 1, size);
        start = now;
        received++;
      } else if (op == STREAM_END) {
        if (received != count) {
          fail("raw-netty: " + received + " stream messages, expected " + count);
          return;
        }
        if (loop.running()) {
          issue();
        } else {
          stop();
        }
      } else {
        fail("raw-netty: unexpected op " + op);
      }
    }
  }
}

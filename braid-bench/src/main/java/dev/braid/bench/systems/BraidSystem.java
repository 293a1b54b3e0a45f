package dev.braid.bench.systems;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.braid.bench.harness.BenchClient;
import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.Loop;
import dev.braid.bench.harness.Payloads;
import dev.braid.bench.harness.Scenario;
import dev.braid.bench.proto.Msg;
import dev.braid.protobuf.ProtoEncoding;
import dev.braid.rpc.BraidServer;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.Multiplexing;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * braid: the bench service over braid, with bench.proto's messages through
 * {@link ProtoEncoding} (the same messages gRPC-Java carries).
 */
public final class BraidSystem {
  private BraidSystem() {}

  static final ProtoEncoding<Msg> MSG = ProtoEncoding.of(Msg.parser());
  public static final MethodDescriptor<Msg, Msg> UNARY =
      MethodDescriptor.of("/braid.bench.Bench/Unary", MethodType.UNARY, MSG, MSG);
  public static final MethodDescriptor<Msg, Msg> STREAM =
      MethodDescriptor.of("/braid.bench.Bench/Stream", MethodType.SERVER_STREAMING, MSG, MSG);
  public static final MethodDescriptor<Msg, Msg> BIDI =
      MethodDescriptor.of("/braid.bench.Bench/Bidi", MethodType.BIDI_STREAMING, MSG, MSG);

  /**
   * Starts a server. {@code direct}: handlers on the I/O thread; only Unary is served then
   * (a blocking stream handler would stall the event loop). Otherwise the default pool.
   */
  public static BenchServer server(InetSocketAddress listen, boolean direct, Faults faults)
      throws IOException {
    BraidServer.Builder b = BraidServer.builder().listen(listen)
        .gracePeriod(Duration.ofSeconds(2))
        .addUnary(UNARY, (req, ctx) -> faults.corruptNext()
            ? msg(Payloads.corrupt(req.getPayload().toByteArray())) : req);
    if (direct) {
      b.executor(Runnable::run);
    } else {
      b.addStream(STREAM, s -> {
        Msg req = s.receive();
        if (req == null) {
          throw new StatusException(Code.INVALID_ARGUMENT, "no request");
        }
        int[] cs = Payloads.parseStreamRequest(req.getPayload().toByteArray());
        Msg m = msg(Payloads.pattern(cs[1]));
        for (int i = 0; i < cs[0]; i++) {
          s.send(faults.corruptNext() ? msg(Payloads.corrupt(Payloads.pattern(cs[1]))) : m);
        }
      });
      b.addStream(BIDI, s -> {
        Msg m;
        while ((m = s.receive()) != null) {
          s.send(faults.corruptNext() ? msg(Payloads.corrupt(m.getPayload().toByteArray())) : m);
        }
      });
    }
    BraidServer server = b.build().start();
    return new BenchServer() {
      @Override
      public InetSocketAddress address() {
        return server.address();
      }

      @Override
      public void close() {
        server.closeNow();
      }
    };
  }

  static Msg msg(byte[] payload) {
    return Msg.newBuilder().setPayload(UnsafeByteOperations.unsafeWrap(payload)).build();
  }

  /** A client: one multiplexed connection, or one connection per slot. */
  public static BenchClient client(InetSocketAddress address, Cell cell, boolean mux,
      boolean direct) {
    return new Client(address, cell, mux, direct);
  }

  private static final class Client implements BenchClient {
    private final InetSocketAddress address;
    private final Cell cell;
    private final boolean mux;
    private final boolean direct;
    private final List<ClientConnection> conns = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    Client(InetSocketAddress address, Cell cell, boolean mux, boolean direct) {
      this.address = address;
      this.cell = cell;
      this.mux = mux;
      this.direct = direct;
    }

    @Override
    public int connections() {
      return conns.size();
    }

    @Override
    public void start(Loop loop) throws Exception {
      int n = mux ? 1 : cell.inflight();
      for (int i = 0; i < n; i++) {
        ClientConnection.Builder b = ClientConnection.builder(address)
            .multiplexing(mux ? Multiplexing.NEGOTIATE : Multiplexing.OFF);
        if (direct) {
          b.callbackExecutor(Runnable::run);
        }
        ClientConnection c = b.connect();
        conns.add(c);
        // One call first: it negotiates multiplexing and proves the server answers.
        byte[] probe = Payloads.patternCopy(16);
        Msg r = c.invoke(UNARY, msg(probe));
        if (!Payloads.same(r.getPayload(), probe)) {
          throw new IllegalStateException("wrong response to the first call");
        }
      }
      if (mux && !conns.get(0).isNegotiated()) {
        throw new IllegalStateException("braid-mux: the connection did not negotiate "
            + "multiplexing");
      }
      for (int i = 0; i < cell.inflight(); i++) {
        int slot = i;
        ClientConnection c = conns.get(mux ? 0 : slot);
        switch (cell.scenario()) {
          case UNARY -> new UnarySlot(c, slot, cell.payloadBytes(), loop).issue();
          case STREAM -> thread(slot, () -> streamLoop(c, loop));
          case BIDI -> thread(slot, () -> bidiLoop(c, slot, loop));
          default -> throw new IllegalArgumentException(cell.scenario().toString());
        }
      }
    }

    private void thread(int slot, Runnable r) {
      Thread t = new Thread(r, "bench-slot-" + slot);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    private void streamLoop(ClientConnection c, Loop loop) {
      int count = cell.messagesPerCall();
      int size = cell.payloadBytes();
      byte[] expected = Payloads.pattern(size);
      Msg req = msg(Payloads.streamRequest(count, size));
      try {
        while (loop.running()) {
          long last = System.nanoTime();
          try (ClientStream<Msg, Msg> s = c.newStream(STREAM)) {
            s.send(req);
            s.closeSend();
            int n = 0;
            Msg m;
            while ((m = s.receive()) != null) {
              long now = System.nanoTime();
              if (!Payloads.same(m.getPayload(), expected)) {
                loop.fail("server-stream: message " + n + " differs from the pattern ("
                    + m.getPayload().size() + " bytes)");
                return;
              }
              loop.record(last, now, 1, size);
              last = now;
              n++;
            }
            if (n != count) {
              loop.fail("server-stream: " + n + " messages, expected " + count);
              return;
            }
          }
        }
      } catch (Exception e) {
        loop.fail("server-stream", e);
      } finally {
        loop.slotDone();
      }
    }

    private void bidiLoop(ClientConnection c, int slot, Loop loop) {
      byte[] payload = Payloads.patternCopy(cell.payloadBytes());
      ClientStream<Msg, Msg> s = null;
      try {
        s = c.newStream(BIDI);
        long seq = 0;
        while (loop.running()) {
          Payloads.stamp(payload, Payloads.tag(slot, ++seq));
          long start = System.nanoTime();
          s.send(msg(payload));
          Msg r = s.receive();
          long end = System.nanoTime();
          if (r == null) {
            loop.fail("bidi: the server ended the stream early");
            return;
          }
          if (!Payloads.same(r.getPayload(), payload)) {
            loop.fail("bidi: echo differs from the request (" + r.getPayload().size()
                + " bytes, expected " + payload.length + ")");
            return;
          }
          loop.record(start, end, 1, payload.length);
        }
        s.closeSend();
        if (s.receive() != null) {
          loop.fail("bidi: a message after CloseSend");
        }
      } catch (Exception e) {
        loop.fail("bidi", e);
      } finally {
        if (s != null) {
          s.close();
        }
        loop.slotDone();
      }
    }

    @Override
    public void close() throws Exception {
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(5));
      }
      for (ClientConnection c : conns) {
        c.closeNow();
      }
    }
  }

  /** One async unary slot: completion verifies, records and issues the next call. */
  private static final class UnarySlot implements BiConsumer<Msg, Throwable> {
    private final ClientConnection conn;
    private final int slot;
    private final byte[] payload;
    private final Loop loop;
    private long seq;
    private long start;

    UnarySlot(ClientConnection conn, int slot, int size, Loop loop) {
      this.conn = conn;
      this.slot = slot;
      this.payload = Payloads.patternCopy(size);
      this.loop = loop;
    }

    void issue() {
      Payloads.stamp(payload, Payloads.tag(slot, ++seq));
      start = System.nanoTime();
      CompletableFuture<Msg> f;
      try {
        f = conn.invokeAsync(UNARY, msg(payload));
      } catch (RuntimeException e) {
        loop.fail("unary", e);
        loop.slotDone();
        return;
      }
      f.whenComplete(this);
    }

    @Override
    public void accept(Msg r, Throwable t) {
      long end = System.nanoTime();
      if (t != null) {
        loop.fail("unary", t);
        loop.slotDone();
        return;
      }
      ByteString got = r.getPayload();
      if (!Payloads.same(got, payload)) {
        loop.fail("unary: echo differs from the request (" + got.size() + " bytes, expected "
            + payload.length + ")");
        loop.slotDone();
        return;
      }
      loop.record(start, end, 1, payload.length);
      if (loop.running()) {
        issue();
      } else {
        loop.slotDone();
      }
    }
  }
}

package dev.braid.bench.systems;

import dev.braid.bench.harness.BenchClient;
import dev.braid.bench.harness.Cell;
import dev.braid.bench.harness.Loop;
import dev.braid.bench.harness.Payloads;
import dev.braid.bench.proto.BenchGrpc;
import dev.braid.bench.proto.Msg;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-Java 1.85 over grpc-netty-shaded, plaintext, with gRPC's generated stubs for
 * bench.proto. {@code direct}: {@code directExecutor()} on server and channel; otherwise
 * gRPC's default executors (a shared cached pool). One channel per client.
 */
public final class GrpcSystem {
  private GrpcSystem() {}

  static final int MAX_MESSAGE = 8 << 20;

  public static BenchServer server(InetSocketAddress listen, boolean direct, Faults faults)
      throws IOException {
    NettyServerBuilder b = NettyServerBuilder.forAddress(listen)
        .addService(new Service(faults))
        .maxInboundMessageSize(MAX_MESSAGE);
    if (direct) {
      b.directExecutor();
    }
    Server server = b.build().start();
    return new BenchServer() {
      @Override
      public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
      }

      @Override
      public void close() {
        server.shutdownNow();
        try {
          server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  /** The service: echo, pattern stream (respecting flow control), bidi echo. */
  static final class Service extends BenchGrpc.BenchImplBase {
    private final Faults faults;

    Service(Faults faults) {
      this.faults = faults;
    }

    private Msg out(Msg m) {
      return faults.corruptNext()
          ? BraidSystem.msg(Payloads.corrupt(m.getPayload().toByteArray())) : m;
    }

    @Override
    public void unary(Msg request, StreamObserver<Msg> response) {
      response.onNext(out(request));
      response.onCompleted();
    }

    @Override
    public void stream(Msg request, StreamObserver<Msg> response) {
      int[] cs;
      try {
        cs = Payloads.parseStreamRequest(request.getPayload().toByteArray());
      } catch (IllegalArgumentException e) {
        response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage())
            .asRuntimeException());
        return;
      }
      ServerCallStreamObserver<Msg> so = (ServerCallStreamObserver<Msg>) response;
      Msg m = BraidSystem.msg(Payloads.pattern(cs[1]));
      // Send while the transport is ready, resume from onReady: gRPC's flow-control idiom,
      // so that a stream never buffers more than the window.
      Runnable pump = new Runnable() {
        int sent;
        boolean done;

        @Override
        public void run() {
          while (!done && sent < cs[0] && so.isReady() && !so.isCancelled()) {
            so.onNext(out(m));
            sent++;
          }
          if (!done && sent == cs[0]) {
            done = true;
            so.onCompleted();
          }
        }
      };
      so.setOnReadyHandler(pump);
      pump.run();
    }

    @Override
    public StreamObserver<Msg> bidi(StreamObserver<Msg> response) {
      return new StreamObserver<>() {
        @Override
        public void onNext(Msg m) {
          response.onNext(out(m));
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          response.onCompleted();
        }
      };
    }
  }

  public static BenchClient client(InetSocketAddress address, Cell cell, boolean direct) {
    return new Client(address, cell, direct);
  }

  private static final class Client implements BenchClient {
    private final InetSocketAddress address;
    private final Cell cell;
    private final boolean direct;
    private ManagedChannel channel;

    Client(InetSocketAddress address, Cell cell, boolean direct) {
      this.address = address;
      this.cell = cell;
      this.direct = direct;
    }

    @Override
    public int connections() {
      return 1;
    }

    @Override
    public void start(Loop loop) {
      NettyChannelBuilder b = NettyChannelBuilder.forAddress(address).usePlaintext()
          .maxInboundMessageSize(MAX_MESSAGE);
      if (direct) {
        b.directExecutor();
      }
      channel = b.build();
      byte[] probe = Payloads.patternCopy(16);
      Msg r = BenchGrpc.newBlockingStub(channel).unary(BraidSystem.msg(probe));
      if (!Payloads.same(r.getPayload(), probe)) {
        throw new IllegalStateException("wrong response to the first call");
      }
      BenchGrpc.BenchStub stub = BenchGrpc.newStub(channel);
      for (int slot = 0; slot < cell.inflight(); slot++) {
        switch (cell.scenario()) {
          case UNARY -> new UnarySlot(stub, slot, cell.payloadBytes(), loop).issue();
          case STREAM -> new StreamSlot(stub, cell, loop).issue();
          case BIDI -> new BidiSlot(stub, slot, cell.payloadBytes(), loop).open();
          default -> throw new IllegalArgumentException(cell.scenario().toString());
        }
      }
    }

    @Override
    public void close() throws Exception {
      if (channel != null) {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static final class UnarySlot implements StreamObserver<Msg> {
    private final BenchGrpc.BenchStub stub;
    private final int slot;
    private final byte[] payload;
    private final Loop loop;
    private long seq;
    private long start;
    private Msg response;

    UnarySlot(BenchGrpc.BenchStub stub, int slot, int size, Loop loop) {
      this.stub = stub;
      this.slot = slot;
      this.payload = Payloads.patternCopy(size);
      this.loop = loop;
    }

    void issue() {
      Payloads.stamp(payload, Payloads.tag(slot, ++seq));
      response = null;
      start = System.nanoTime();
      stub.unary(BraidSystem.msg(payload), this);
    }

    @Override
    public void onNext(Msg r) {
      response = r;
    }

    @Override
    public void onError(Throwable t) {
      loop.fail("unary", t);
      loop.slotDone();
    }

    @Override
    public void onCompleted() {
      long end = System.nanoTime();
      Msg r = response;
      if (r == null || !Payloads.same(r.getPayload(), payload)) {
        loop.fail("unary: echo differs from the request (" + (r == null ? "none"
            : r.getPayload().size() + " bytes") + ", expected " + payload.length + ")");
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

  private static final class StreamSlot implements StreamObserver<Msg> {
    private final BenchGrpc.BenchStub stub;
    private final Loop loop;
    private final int count;
    private final int size;
    private final byte[] expected;
    private final Msg request;
    private long last;
    private int received;
    private boolean failed;

    StreamSlot(BenchGrpc.BenchStub stub, Cell cell, Loop loop) {
      this.stub = stub;
      this.loop = loop;
      this.count = cell.messagesPerCall();
      this.size = cell.payloadBytes();
      this.expected = Payloads.pattern(size);
      this.request = BraidSystem.msg(Payloads.streamRequest(count, size));
    }

    void issue() {
      received = 0;
      last = System.nanoTime();
      stub.stream(request, this);
    }

    @Override
    public void onNext(Msg m) {
      long now = System.nanoTime();
      if (failed) {
        return;
      }
      if (!Payloads.same(m.getPayload(), expected)) {
        failed = true;
        loop.fail("server-stream: message " + received + " differs from the pattern ("
            + m.getPayload().size() + " bytes)");
        return;
      }
      loop.record(last, now, 1, size);
      last = now;
      received++;
    }

    @Override
    public void onError(Throwable t) {
      loop.fail("server-stream", t);
      loop.slotDone();
    }

    @Override
    public void onCompleted() {
      if (failed) {
        loop.slotDone();
        return;
      }
      if (received != count) {
        loop.fail("server-stream: " + received + " messages, expected " + count);
        loop.slotDone();
        return;
      }
      if (loop.running()) {
        issue();
      } else {
        loop.slotDone();
      }
    }
  }

  private static final class BidiSlot implements ClientResponseObserver<Msg, Msg> {
    private final BenchGrpc.BenchStub stub;
    private final int slot;
    private final byte[] payload;
    private final Loop loop;
    private ClientCallStreamObserver<Msg> requests;
    private long seq;
    private long start;
    private boolean ended;

    BidiSlot(BenchGrpc.BenchStub stub, int slot, int size, Loop loop) {
      this.stub = stub;
      this.slot = slot;
      this.payload = Payloads.patternCopy(size);
      this.loop = loop;
    }

    void open() {
      stub.bidi(this);
      send();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Msg> requestStream) {
      this.requests = requestStream;
    }

    private void send() {
      Payloads.stamp(payload, Payloads.tag(slot, ++seq));
      start = System.nanoTime();
      requests.onNext(BraidSystem.msg(payload));
    }

    @Override
    public void onNext(Msg r) {
      long end = System.nanoTime();
      if (ended) {
        return;
      }
      if (!Payloads.same(r.getPayload(), payload)) {
        loop.fail("bidi: echo differs from the request (" + r.getPayload().size()
            + " bytes, expected " + payload.length + ")");
        ended = true;
        requests.cancel("wrong echo", null);
        return;
      }
      loop.record(start, end, 1, payload.length);
      if (loop.running()) {
        send();
      } else {
        ended = true;
        requests.onCompleted();
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!ended) {
        loop.fail("bidi", t);
      }
      loop.slotDone();
    }

    @Override
    public void onCompleted() {
      if (!ended) {
        loop.fail("bidi: the server ended the stream early");
      }
      loop.slotDone();
    }
  }
}

package dev.braid.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.braid.rpc.internal.Connection;
import dev.braid.rpc.testing.EchoService;
import dev.braid.wire.Frames;
import dev.braid.wire.Kind;
import dev.braid.wire.Settings;
import dev.braid.wire.Varint;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile peers on plain sockets (no braid client code) against a braid server: each
 * attack stays within the documented per-connection memory bound (docs/wire-protocol.md,
 * "Memory a peer can pin"; asserted generously), the offending connection is closed with
 * a WARN line naming what the peer did, and a well-behaved client on another connection
 * keeps getting answers throughout.
 */
class HostilePeerTest {
  /** Generous: the documented bound with the defaults is about 43 MiB per connection. */
  static final long HEAP_BOUND = 160L << 20;
  static final long DIRECT_BOUND = 96L << 20;

  BraidServer server;
  ClientConnection good;
  Thread goodCaller;
  final AtomicBoolean stop = new AtomicBoolean();
  final AtomicLong answers = new AtomicLong();
  final AtomicLong failures = new AtomicLong();
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  long heapBefore;
  long directBefore;

  @BeforeEach
  void start() throws Exception {
    ((Logger) LoggerFactory.getLogger(Connection.class)).addAppender(logs);
    logs.start();
    server = BraidServer.builder()
        .addService(new EchoService().definition())
        .halfFrameTimeout(Duration.ofSeconds(2))
        .writeStallTimeout(Duration.ofSeconds(2))
        .build().start();
    good = ClientConnection.connect("127.0.0.1:" + server.port());
    goodCaller = new Thread(() -> {
      while (!stop.get()) {
        try {
          good.invoke(EchoService.UNARY, new byte[] {7},
              CallOptions.DEFAULT.withTimeout(Duration.ofSeconds(10)));
          answers.incrementAndGet();
        } catch (StatusException e) {
          failures.incrementAndGet();
        }
      }
    }, "well-behaved-client");
    goodCaller.start();
    awaitTrue(() -> answers.get() > 10, "the good client gets answers");
    heapBefore = usedHeap();
    directBefore = PlatformDependent.usedDirectMemory();
  }

  @AfterEach
  void stop() throws Exception {
    stop.set(true);
    goodCaller.join(10_000);
    good.closeNow();
    server.closeNow();
    ((Logger) LoggerFactory.getLogger(Connection.class)).detachAppender(logs);
  }

  static long usedHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  /** Checks the bounds now, and that the good client kept being answered. */
  void assertBounded() {
    long heap = usedHeap() - heapBefore;
    long direct = PlatformDependent.usedDirectMemory() - directBefore;
    assertThat(heap).as("heap growth").isLessThan(HEAP_BOUND);
    assertThat(direct).as("direct memory growth").isLessThan(DIRECT_BOUND);
    long now = answers.get();
    awaitTrue(() -> answers.get() > now + 5, "the good client still gets answers");
    assertThat(failures.get()).as("failed calls of the good client").isZero();
  }

  void assertClosedWithLogLine(Socket s, String reason) throws Exception {
    InputStream in = s.getInputStream();
    s.setSoTimeout(30_000);
    byte[] buf = new byte[64 << 10];
    try {
      while (in.read(buf) >= 0) {
        // drain until the server closes
      }
    } catch (IOException reset) {
      // closed with data unread: a reset is a close too
    }
    awaitTrue(() -> logs.list.stream().anyMatch(e -> e.getFormattedMessage()
        .startsWith("closing connection") && e.getFormattedMessage().contains(reason)),
        "a WARN line says '" + reason + "'");
    awaitTrue(() -> server.connectionCount() == 1, "only the good connection is left");
  }

  static byte[] frame(int kind, boolean control, boolean done, long sid, long mid, byte[] d) {
    return Frames.frame(kind, control, done, sid, mid, d);
  }

  static final byte[] UNARY = EchoService.UNARY.fullName().getBytes(StandardCharsets.UTF_8);
  static final byte[] BIDI = EchoService.BIDI.fullName().getBytes(StandardCharsets.UTF_8);

  /** 10,000 partial Invokes (02 sid 01 02 2f 78) on new ids: pending ones are capped. */
  @Test
  void tenThousandNeverCompletedInvokes() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int sid = 1; sid <= 10_000; sid++) {
        all.writeBytes(frame(Kind.INVOKE, false, false, sid, 1, "/x".getBytes()));
      }
      out.write(all.toByteArray());
      out.flush();
      // streams past the limit are refused at once; read the refusals as they come
      InputStream in = s.getInputStream();
      long expected = 10_000 - 1024;
      long errors = 0;
      byte[] buf = new byte[1 << 16];
      dev.braid.wire.PacketReader r = new dev.braid.wire.PacketReader();
      while (errors < expected) {
        int n = in.read(buf);
        assertThat(n).isPositive();
        r.feed(buf, 0, n);
        dev.braid.wire.Packet p;
        while ((p = r.poll()) != null) {
          assertThat(p.kind()).isEqualTo(Kind.ERROR);
          errors++;
        }
      }
      assertBounded();
      assertClosedWithLogLine(s, "incomplete frame or packet made no progress");
    }
    assertBounded();
  }

  /** 10,000 complete 60 KB InvokeMetadata packets never followed by an Invoke. */
  @Test
  void tenThousandInvokeMetadataWithoutInvoke() throws Exception {
    byte[] md = dev.braid.wire.InvokeMetadata.encode(Map.of("k", "v".repeat(60_000)));
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      try {
        for (int sid = 1; sid <= 10_000; sid++) {
          out.write(frame(Kind.INVOKE_METADATA, false, true, sid, 1, md));
        }
      } catch (IOException closed) {
        // the server closed the connection
      }
      assertBounded();
      assertClosedWithLogLine(s, "bytes in pending streams");
    }
    assertBounded();
  }

  /** 1,000 streams, each holding a partial 4 MiB packet (frames without the done bit). */
  @Test
  void aThousandPartialFourMebibytePackets() throws Exception {
    byte[] part = new byte[(4 << 20) - 64];
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      try {
        for (int sid = 1; sid <= 1000; sid++) {
          out.write(frame(Kind.INVOKE, false, true, sid, 1, BIDI));
          out.write(frame(Kind.MESSAGE, false, false, sid, 2, part));
        }
      } catch (IOException closed) {
        // the server closed the connection
      }
      assertBounded();
      assertClosedWithLogLine(s, "bytes in incomplete packets");
    }
    assertBounded();
  }

  /**
   * A peer that negotiates, then sends requests and pings but never reads. The stall
   * threshold is 2 s here (30 s in the scenario; the bound does not depend on it).
   */
  @Test
  void aPeerThatSendsRequestsAndPingsButNeverReads() throws Exception {
    Map<Integer, Long> settings = new TreeMap<>();
    settings.put(Settings.VERSION, 1L);
    settings.put(Settings.MULTIPLEXING, 1L);
    settings.put(Settings.STREAM_WINDOW, 1L << 20);
    byte[] request = new byte[16 << 10];
    byte[] ping = new byte[9];
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setReceiveBufferSize(4096);
      OutputStream out = s.getOutputStream();
      out.write(frame(Kind.INVOKE, false, true, 1, 1, UNARY));
      out.write(frame(Kind.SETTINGS, true, true, 1, 2, Settings.encode(settings)));
      out.write(frame(Kind.MESSAGE, false, true, 1, 3, new byte[] {1}));
      out.write(frame(Kind.CLOSE_SEND, false, true, 1, 4, new byte[0]));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      try {
        for (long sid = 2; System.nanoTime() < deadline; sid++) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(frame(Kind.INVOKE, false, true, sid, 1, UNARY));
          b.writeBytes(frame(Kind.MESSAGE, false, true, sid, 2, request));
          b.writeBytes(frame(Kind.CLOSE_SEND, false, true, sid, 3, new byte[0]));
          for (int i = 0; i < 16; i++) {
            b.writeBytes(frame(Kind.PING, true, true, 0, 0, ping));
          }
          out.write(b.toByteArray());
        }
      } catch (IOException closed) {
        // the server closed the connection
      }
      assertBounded();
      // whichever protection trips first on a loaded machine: the control queue cap, the
      // write stall, or (if this sender itself stalls) the half-sent frame timeout
      awaitTrue(() -> logs.list.stream().anyMatch(e -> e.getFormattedMessage()
          .startsWith("closing connection") && (e.getFormattedMessage().contains(
          "has not read") || e.getFormattedMessage().contains("does not read")
          || e.getFormattedMessage().contains("made no progress"))),
          "a WARN line says why the connection was closed");
      awaitTrue(() -> server.connectionCount() == 1, "only the good connection is left");
    }
    assertBounded();
  }

  /** A frame header declaring 2^60 bytes of data. */
  @Test
  void aFrameDeclaringTwoToTheSixtyBytes() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      OutputStream out = s.getOutputStream();
      byte[] len = new byte[10];
      int n = Varint.write(len, 0, 1L << 60);
      out.write(new byte[] {0x05, 0x01, 0x01});
      out.write(len, 0, n);
      out.flush();
      assertClosedWithLogLine(s, "protocol error");
    }
    assertBounded();
  }

  /** Settings with out-of-range values (a 1-byte frame size, a zero window). */
  @Test
  void settingsWithOutOfRangeValues() throws Exception {
    for (int[] bad : new int[][] {{Settings.MAX_FRAME_SIZE, 1}, {Settings.STREAM_WINDOW, 0},
        {Settings.MULTIPLEXING, 7}}) {
      Map<Integer, Long> settings = new TreeMap<>();
      settings.put(Settings.VERSION, 1L);
      settings.put(bad[0], (long) bad[1]);
      logs.list.clear();
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(frame(Kind.INVOKE, false, true, 1, 1, UNARY));
        out.write(frame(Kind.SETTINGS, true, true, 1, 2, Settings.encode(settings)));
        out.flush();
        assertClosedWithLogLine(s, "invalid settings");
      }
    }
    assertBounded();
  }
}

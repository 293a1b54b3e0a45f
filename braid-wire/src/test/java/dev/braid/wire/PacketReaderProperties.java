package dev.braid.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;

class PacketReaderProperties {
  private static final String OVERFLOW = "data overflow";
  private static final String MONOTONICITY = "id monotonicity violation";
  private static final String KIND_CHANGE = "packet kind change";

  // ---------------------------------------------------------------------------------------
  // A reference model of the reader rules, compared with PacketReader on random frames.

  record Frame(int kind, boolean control, boolean done, long stream, long message,
      byte[] data) {
    byte[] encode() {
      return Frames.frame(kind, control, done, stream, message, data);
    }
  }

  /** The reader rules, per stream, written down as plainly as possible. */
  static final class Model {
    private static final class Stream {
      /** The partial packet's id, or the lowest id a new packet may have. */
      long current = 1;
      boolean partial;
      int kind;
      boolean control;
      ByteArrayOutputStream data;
    }

    final int max;
    final Map<Long, Stream> streams = new HashMap<>();
    final List<Packet> packets = new ArrayList<>();
    String error;
    /** Partials dropped by a higher id; frames that arrived while another stream had one. */
    int discarded;
    int interleaved;

    Model(int max) {
      this.max = max;
    }

    void apply(Frame f) {
      if (error != null) {
        return;
      }
      if (f.data().length > max) {
        error = OVERFLOW; // known from the header alone
        return;
      }
      if (f.stream() == 0) {
        error = MONOTONICITY;
        return;
      }
      Stream s = streams.computeIfAbsent(f.stream(), id -> new Stream());
      if (streams.entrySet().stream()
          .anyMatch(e -> e.getKey() != f.stream() && e.getValue().partial)) {
        interleaved++;
      }
      if (f.message() < s.current) { // the generated ids are small: signed compare is fine
        error = MONOTONICITY;
        return;
      }
      boolean continues = s.partial && f.message() == s.current;
      if (continues && f.kind() != s.kind) {
        error = KIND_CHANGE;
        return;
      }
      if (!continues) { // a new packet; a partial one, if any, is dropped
        if (s.partial) {
          discarded++;
        }
        s.partial = true;
        s.current = f.message();
        s.kind = f.kind();
        s.control = false;
        s.data = new ByteArrayOutputStream();
      }
      s.control |= f.control();
      s.data.writeBytes(f.data());
      if (s.data.size() > max) {
        error = OVERFLOW;
        return;
      }
      if (f.done()) {
        packets.add(new Packet(s.kind, s.control, f.stream(), f.message(),
            s.data.toByteArray()));
        s.partial = false;
        s.current = f.message() + 1;
      }
    }
  }

  /**
   * One generated step: a frame whose message id is given relative to the stream's previous
   * frame ({@code delta}: −1 goes back, 0 repeats, 1 or 2 move on) and whose kind is either
   * the stream's previous kind ({@code kind == -1}) or a given one. Mostly valid sequences
   * get past the first few frames; the rare steps produce every kind of violation.
   */
  record Step(int kind, boolean control, boolean done, long stream, int delta, byte[] data) {}

  @Provide
  static Arbitrary<Step> steps() {
    return Combinators.combine(
        Arbitraries.frequencyOf(
            Tuple.of(17, Arbitraries.just(-1)),
            Tuple.of(1, Arbitraries.of(Kind.MESSAGE, Kind.INVOKE, Kind.CLOSE)),
            Tuple.of(1, Arbitraries.integers().between(0, Kind.MAX)))
            .withoutEdgeCases(),
        Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))),
        Arbitraries.of(true, false),
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(0L)), Tuple.of(500, Arbitraries.longs().between(1, 3)))
            .withoutEdgeCases(), // else 0 would be mixed in far more often than weighted
        Arbitraries.frequencyOf(
            Tuple.of(1, Arbitraries.just(-1)),
            Tuple.of(35, Arbitraries.just(0)),
            Tuple.of(35, Arbitraries.just(1)),
            Tuple.of(6, Arbitraries.just(2)))
            .withoutEdgeCases(),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
        .as(Step::new);
  }

  /**
   * Turns steps into frames: per stream, ids start at 1 and kinds at Message; after a done
   * frame, "repeat" (delta 0) means the next id, so that an id is reused only by delta −1.
   */
  static List<Frame> resolve(List<Step> steps) {
    Map<Long, long[]> lastId = new HashMap<>();
    Map<Long, Boolean> lastDone = new HashMap<>();
    Map<Long, Integer> lastKind = new HashMap<>();
    List<Frame> frames = new ArrayList<>();
    for (Step s : steps) {
      long[] last = lastId.computeIfAbsent(s.stream(), id -> new long[] {1});
      boolean first = !lastDone.containsKey(s.stream());
      int delta = s.delta() == 0 && lastDone.getOrDefault(s.stream(), false) ? 1 : s.delta();
      long message = first && delta > 0 ? 1 : Math.max(0, last[0] + delta);
      last[0] = message;
      lastDone.put(s.stream(), s.done());
      int kind = s.kind() >= 0 ? s.kind() : lastKind.getOrDefault(s.stream(), Kind.MESSAGE);
      lastKind.put(s.stream(), kind);
      frames.add(new Frame(kind, s.control(), s.done(), s.stream(), message, s.data()));
    }
    return frames;
  }

  @Provide
  static Arbitrary<List<Frame>> frameSequences() {
    return steps().list().ofMaxSize(40).map(PacketReaderProperties::resolve);
  }

  @Provide
  static Arbitrary<Integer> modelLimits() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.integers().between(0, 12)),
        Tuple.of(4, Arbitraries.integers().between(20, 80)));
  }

  @Provide
  static Arbitrary<List<Integer>> chunkSizes() {
    return Arbitraries.integers().between(1, 64).list().ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 1000)
  @StatisticsReport(StatisticsReportMode.OFF)
  void readerFollowsTheReferenceModel(
      @ForAll("frameSequences") List<Frame> frames,
      @ForAll("modelLimits") int max,
      @ForAll("chunkSizes") List<Integer> chunks) {
    Model model = new Model(max);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (Frame f : frames) {
      model.apply(f);
      wire.writeBytes(f.encode());
    }

    List<Packet> got = new ArrayList<>();
    String error = null;
    PacketReader reader = new PacketReader(max);
    try {
      feedInChunks(wire.toByteArray(), chunks, reader, got);
    } catch (ProtocolException e) {
      error = e.getMessage();
    }

    assertThat(got).isEqualTo(model.packets);
    if (model.error == null) {
      assertThat(error).isNull();
      assertThat(reader.buffered()).isZero();
    } else {
      assertThat(error).contains(model.error);
    }
    Statistics.label("outcome").collect(model.error == null ? "ok" : model.error);
    Statistics.label("outcome").coverage(c -> {
      c.check("ok").percentage(p -> p > 20);
      c.check(OVERFLOW).percentage(p -> p > 3);
      c.check(MONOTONICITY).percentage(p -> p > 3);
      c.check(KIND_CHANGE).percentage(p -> p > 3);
    });
    Statistics.label("packets").collect(model.packets.size() > 2 ? "3+" : "0-2");
    Statistics.label("packets").coverage(c -> c.check("3+").percentage(p -> p > 20));
    Statistics.label("partial discarded").collect(model.discarded > 0);
    Statistics.label("partial discarded").coverage(c -> c.check(true).percentage(p -> p > 10));
    Statistics.label("interleaved").collect(model.interleaved > 0);
    Statistics.label("interleaved").coverage(c -> c.check(true).percentage(p -> p > 20));
  }

  /** Feeds {@code bytes} in chunks cycling through {@code chunks}, polling after each. */
  private static void feedInChunks(byte[] bytes, List<Integer> chunks, PacketReader reader,
      List<Packet> out) {
    int at = 0;
    int i = 0;
    do {
      int n = Math.min(chunks.get(i++ % chunks.size()), bytes.length - at);
      reader.feed(bytes, at, n);
      at += n;
      for (Packet p = reader.poll(); p != null; p = reader.poll()) {
        out.add(p);
      }
    } while (at < bytes.length);
  }

  // ---------------------------------------------------------------------------------------
  // Whole packets of several streams, split into frames and interleaved.

  record Spec(int kind, boolean control, int idGap, byte[] data, int split) {}

  @Provide
  static Arbitrary<Spec> specs() {
    return Combinators.combine(
        Arbitraries.integers().between(0, Kind.MAX),
        Arbitraries.of(true, false),
        Arbitraries.integers().between(1, 3),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        FrameProperties.splitSizes())
        .as(Spec::new);
  }

  @Provide
  static Arbitrary<List<Long>> streamIds() {
    return Arbitraries.oneOf(Arbitraries.longs().between(1, 5), Arbitraries.longs())
        .filter(id -> id != 0)
        .list().uniqueElements().ofMinSize(1).ofMaxSize(4);
  }

  @Property(tries = 300)
  void splitPacketsOfInterleavedStreamsReadBackIdentically(
      @ForAll("streamIds") List<Long> streams,
      @ForAll @Size(max = 12) List<@From("specs") Spec> specs,
      @ForAll Random random,
      @ForAll("chunkSizes") List<Integer> chunks) {
    // Deal the packet specs out to the streams; each stream's message ids increase.
    List<Deque<byte[]>> frames = new ArrayList<>();
    List<Deque<Packet>> packets = new ArrayList<>();
    long[] lastId = new long[streams.size()];
    for (int s = 0; s < streams.size(); s++) {
      frames.add(new ArrayDeque<>());
      packets.add(new ArrayDeque<>());
    }
    for (Spec spec : specs) {
      int s = random.nextInt(streams.size());
      lastId[s] += spec.idGap();
      Packet p = new Packet(spec.kind(), spec.control(), streams.get(s), lastId[s],
          spec.data());
      packets.get(s).add(p);
      frames.get(s).addAll(TestBytes.splitFrames(Frames.encode(p, spec.split())));
    }

    // Interleave whole frames; each stream's frames stay in order. A packet is complete
    // when its done frame goes out.
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    List<Packet> expected = new ArrayList<>();
    List<Integer> live = new ArrayList<>();
    for (int s = 0; s < streams.size(); s++) {
      if (!frames.get(s).isEmpty()) {
        live.add(s);
      }
    }
    while (!live.isEmpty()) {
      int pick = random.nextInt(live.size());
      int s = live.get(pick);
      byte[] f = frames.get(s).poll();
      wire.writeBytes(f);
      if ((f[0] & 1) != 0) {
        expected.add(packets.get(s).poll());
      }
      if (frames.get(s).isEmpty()) {
        live.remove(pick);
      }
    }

    PacketReader reader = new PacketReader();
    List<Packet> got = new ArrayList<>();
    feedInChunks(wire.toByteArray(), chunks, reader, got);
    assertThat(got).isEqualTo(expected);
    assertThat(got).hasSize(specs.size());
    assertThat(reader.buffered()).isZero();
  }

  /**
   * Upstream TestReaderRandomized: 1000 frames of 0..8191 bytes on stream 1 with random done
   * flags reassemble to the exact byte sequence, as packets with message ids 1, 2, 3...
   */
  @Property(tries = 5)
  void upstreamRandomizedReassembly(@ForAll Random random) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    long message = 1;
    int doneCount = 0;
    for (int i = 0; i < 1000; i++) {
      byte[] data = new byte[random.nextInt(8192)];
      random.nextBytes(data);
      boolean done = i == 999 || random.nextBoolean();
      wire.writeBytes(Frames.frame(Kind.MESSAGE, false, done, 1, message, data));
      sent.writeBytes(data);
      if (done) {
        message++;
        doneCount++;
      }
    }
    PacketReader reader = new PacketReader();
    reader.feed(wire.toByteArray());
    List<Packet> got = TestBytes.drain(reader);
    assertThat(got).hasSize(doneCount);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).messageId()).isEqualTo(i + 1);
      assertThat(got.get(i).streamId()).isEqualTo(1);
      assertThat(got.get(i).kind()).isEqualTo(Kind.MESSAGE);
      received.writeBytes(got.get(i).data());
    }
    assertThat(received.toByteArray()).isEqualTo(sent.toByteArray());
  }

  // ---------------------------------------------------------------------------------------
  // Garbage in: never a hang, never anything but ProtocolException.

  @Provide
  static Arbitrary<byte[]> garbage() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    // Valid frames with random bytes sprinkled between them get past the first header.
    Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
        Tuple.of(3, steps().map(st -> resolve(List.of(st)).get(0).encode())),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6)));
    Arbitrary<byte[]> sprinkled = piece.list().ofMaxSize(40)
        .map(l -> TestBytes.concat(l.toArray(new byte[0][])));
    return Arbitraries.oneOf(random, sprinkled);
  }

  @Property(tries = 1000)
  void garbageNeverHangsAndFailsOnlyWithProtocolException(
      @ForAll("garbage") byte[] bytes,
      @ForAll("chunkSizes") List<Integer> chunks,
      @ForAll("readerLimits") int max) {
    // A poll() that loops forever fails here instead of hanging the build.
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> feedGarbage(bytes, chunks, max));
  }

  private static void feedGarbage(byte[] bytes, List<Integer> chunks, int max) {
    PacketReader reader = new PacketReader(max);
    int at = 0;
    int i = 0;
    long packetBytes = 0;
    int packets = 0;
    try {
      do {
        int n = Math.min(chunks.get(i++ % chunks.size()), bytes.length - at);
        reader.feed(bytes, at, n);
        at += n;
        // Every packet consumes at least one 4-byte frame: a bounded number of polls.
        for (int polls = 0; ; polls++) {
          assertThat(polls).as("polls after %d bytes", at).isLessThanOrEqualTo(at / 4);
          Packet p = reader.poll();
          if (p == null) {
            break;
          }
          packets++;
          packetBytes += p.data().length;
        }
      } while (at < bytes.length);
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(packetBytes + 4L * packets + reader.buffered()).isLessThanOrEqualTo(at);
  }

  @Provide
  static Arbitrary<Integer> readerLimits() {
    return Arbitraries.of(0, 1, 16, 1000, Frames.DEFAULT_MAX_PACKET_SIZE);
  }
}

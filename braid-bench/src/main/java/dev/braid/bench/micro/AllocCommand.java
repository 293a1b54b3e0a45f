package dev.braid.bench.micro;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code braid bench allocs}: exact heap objects (and bytes) per operation for the hot paths
 * that the JMH benchmarks time, with the sites that allocate them.
 *
 * <p>JMH's {@code -prof gc} reports bytes per operation but not objects. Here a JVM without
 * thread-local allocation buffers ({@code -XX:-UseTLAB}, G1, which has no inline eden
 * allocation) sends every allocation through the VM's slow path, where JFR's
 * {@code jdk.ObjectAllocationOutsideTLAB} event records it with its stack. After a warm-up
 * long enough for C2 (so escape analysis has removed what it can), each operation runs a
 * fixed number of times under a recording, and the events of the benchmark thread are
 * counted. A calibration operation allocating exactly one array checks the method. Objects
 * whose first non-JDK frame is the benchmark's own code (the engine fixture writing the
 * peer's bytes, EmbeddedChannel's queues) are shown separately as harness overhead.
 */
@Command(name = "allocs", mixinStandardHelpOptions = true,
    description = "Count heap objects per operation on the hot paths (JFR, -XX:-UseTLAB).")
public final class AllocCommand implements Callable<Integer> {
  @Option(names = "--warmup", defaultValue = "60000", description = "Warm-up ops per case")
  int warmup;

  @Option(names = "--ops", defaultValue = "2000", description = "Measured ops per case")
  int ops;

  @Option(names = "--filter", description = "Only cases whose name matches this regex")
  String filter;

  @Option(names = "--sites", defaultValue = "6", description = "Allocation sites shown per case")
  int sites;

  @Option(names = "--child", hidden = true)
  boolean child;

  /** One measured operation; {@code batch} is how many calls one run() represents. */
  record Case(String name, int batch, Runnable op) {}

  static List<Case> cases() {
    List<Case> l = new ArrayList<>();
    byte[][] sink = new byte[1][];
    l.add(new Case("calibration: one new byte[16]", 1, () -> sink[0] = new byte[16]));
    WireBenchmark w = new WireBenchmark();
    w.setup();
    l.add(new Case("wire varintWrite", 1024, w::varintWrite));
    l.add(new Case("wire varintRead", 1024, w::varintRead));
    l.add(new Case("wire frameHeaderWrite", 1, w::frameHeaderWrite));
    l.add(new Case("wire frameHeaderParse", 1, w::frameHeaderParse));
    l.add(new Case("wire packetEncode1k", 1, w::packetEncode1k));
    l.add(new Case("wire packetAssemblySingleFrame", 1, w::packetAssemblySingleFrame));
    l.add(new Case("wire packetReader256k", 1, w::packetReader256k));
    l.add(new Case("wire metadataEncode", 1, w::metadataEncode));
    l.add(new Case("wire metadataDecode", 1, w::metadataDecode));
    for (boolean neg : new boolean[] {false, true}) {
      for (int p : new int[] {0, 1024}) {
        String mode = (neg ? "negotiated" : "drpc") + " payload=" + p;
        EngineFixture.Server s = new EngineFixture.Server(neg, p);
        l.add(new Case("engine serverUnary " + mode, 1, () -> s.calls(1)));
        EngineFixture.Server s64 = new EngineFixture.Server(neg, p);
        l.add(new Case("engine serverUnaryBatch64 " + mode, 64, () -> s64.calls(64)));
        EngineFixture.Client c = new EngineFixture.Client(neg, p);
        l.add(new Case("engine clientUnary " + mode, 1, () -> c.calls(1)));
        if (neg) {
          EngineFixture.Client c64 = new EngineFixture.Client(true, p);
          l.add(new Case("engine clientUnaryBatch64 " + mode, 64, () -> c64.calls(64)));
        }
      }
    }
    for (int n : new int[] {1, 10}) {
      QueryCodecBenchmark q = new QueryCodecBenchmark();
      q.ranges = n;
      q.setup();
      l.add(new Case("query encodeV1 ranges=" + n, 1, q::encodeV1));
      l.add(new Case("query encodeV2 ranges=" + n, 1, q::encodeV2));
      l.add(new Case("query decodeV1 ranges=" + n, 1, q::decodeV1));
      l.add(new Case("query decodeV2 ranges=" + n, 1, q::decodeV2));
    }
    return l;
  }

  @Override
  public Integer call() throws Exception {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    if (!child || !args.contains("-XX:-UseTLAB")) {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:-UseTLAB", "-XX:+UseG1GC", "-Xmx1g", "-cp",
          System.getProperty("java.class.path"), "dev.braid.bench.BenchMain", "allocs",
          "--child", "--warmup", String.valueOf(warmup), "--ops", String.valueOf(ops),
          "--sites", String.valueOf(sites)));
      if (filter != null) {
        cmd.add("--filter");
        cmd.add(filter);
      }
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    }
    Pattern fp = filter == null ? null : Pattern.compile(filter);
    System.out.printf(Locale.ROOT, "Heap objects per operation (JFR ObjectAllocationOutsideTLAB"
        + " with -XX:-UseTLAB, G1; %d warm-up ops, then %d measured ops per case).%n"
        + "Engine cases: per call (batch64 cases divide by 64).%n%n", warmup, ops);
    System.out.printf(Locale.ROOT, "%-52s %12s %12s %18s%n", "case", "objects/op", "bytes/op",
        "of which harness");
    Map<String, List<String>> siteLines = new LinkedHashMap<>();
    for (Case c : cases()) {
      if (fp != null && !fp.matcher(c.name).find()) {
        continue;
      }
      for (int i = 0; i < warmup; i++) {
        c.op.run();
      }
      Path f = Files.createTempFile("braid-allocs", ".jfr");
      long objects = 0;
      long bytes = 0;
      long harness = 0;
      Map<String, long[]> bySite = new HashMap<>();
      long tid = Thread.currentThread().getId();
      try (Recording r = new Recording()) {
        r.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace().withoutThreshold();
        r.setToDisk(true);
        r.start();
        for (int i = 0; i < ops; i++) {
          c.op.run();
        }
        r.stop();
        r.dump(f);
      }
      for (RecordedEvent e : RecordingFile.readAllEvents(f)) {
        if (!e.getEventType().getName().equals("jdk.ObjectAllocationOutsideTLAB")
            || e.getThread("eventThread") == null
            || e.getThread("eventThread").getJavaThreadId() != tid) {
          continue;
        }
        if (fromJfr(e)) {
          continue;
        }
        long size = e.getLong("allocationSize");
        objects++;
        bytes += size;
        String where = site(e);
        String owner = where.contains(" from ") ? where.substring(where.indexOf(" from ") + 6)
            : where;
        if (owner.startsWith("EngineFixture") || where.startsWith("Embedded")
            || owner.startsWith("AllocCommand") || owner.startsWith("WireBenchmark")
            || owner.startsWith("QueryCodecBenchmark")) {
          harness++;
        }
        String site = e.getClass("objectClass").getName() + " at " + where;
        long[] v = bySite.computeIfAbsent(site, k -> new long[2]);
        v[0]++;
        v[1] += size;
      }
      Files.deleteIfExists(f);
      double perOp = (double) objects / ops / c.batch;
      double bytesPerOp = (double) bytes / ops / c.batch;
      System.out.printf(Locale.ROOT, "%-52s %12.2f %12.1f %18.2f%n", c.name, perOp, bytesPerOp,
          (double) harness / ops / c.batch);
      List<Map.Entry<String, long[]>> top = new ArrayList<>(bySite.entrySet());
      top.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < Math.min(sites, top.size()); i++) {
        Map.Entry<String, long[]> e = top.get(i);
        lines.add(String.format(Locale.ROOT, "  %8.2f/op %8.1f B/op  %s",
            (double) e.getValue()[0] / ops / c.batch, (double) e.getValue()[1] / ops / c.batch,
            e.getKey()));
      }
      if (!lines.isEmpty()) {
        siteLines.put(c.name, lines);
      }
    }
    System.out.println();
    System.out.println("Allocation sites (objects per op, bytes per op, class at first "
        + "non-JDK frame):");
    for (Map.Entry<String, List<String>> e : siteLines.entrySet()) {
      System.out.println(e.getKey());
      e.getValue().forEach(System.out::println);
    }
    System.out.println();
    System.out.print(QueryCodecBenchmark.sizes());
    return 0;
  }

  private static boolean fromJfr(RecordedEvent e) {
    if (e.getStackTrace() == null) {
      return false;
    }
    for (RecordedFrame f : e.getStackTrace().getFrames()) {
      String t = f.getMethod().getType().getName();
      if (t.startsWith("jdk.jfr.") || t.startsWith("jdk.internal.jfr.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first frame outside java.*, jdk.*, sun.* (the allocating code), the JDK frame that
   * allocated when different, and the first braid frame when the allocating code is a
   * library (Netty, protobuf).
   */
  private static String site(RecordedEvent e) {
    if (e.getStackTrace() == null) {
      return "?";
    }
    List<RecordedFrame> frames = e.getStackTrace().getFrames();
    for (int i = 0; i < frames.size(); i++) {
      RecordedFrame f = frames.get(i);
      String t = f.getMethod().getType().getName();
      if (t.startsWith("java.") || t.startsWith("jdk.") || t.startsWith("sun.")) {
        continue;
      }
      String s = shortName(f) + ":" + f.getLineNumber();
      if (i > 0) {
        s = s + " (via " + shortName(frames.get(0)) + ")";
      }
      if (!t.startsWith("dev.braid.")) {
        for (int j = i + 1; j < frames.size(); j++) {
          RecordedFrame b = frames.get(j);
          if (b.getMethod().getType().getName().startsWith("dev.braid.")) {
            s = s + " from " + shortName(b) + ":" + b.getLineNumber();
            break;
          }
        }
      }
      return s;
    }
    return frames.isEmpty() ? "?" : shortName(frames.get(0));
  }

  private static String shortName(RecordedFrame f) {
    String t = f.getMethod().getType().getName();
    return t.substring(t.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}

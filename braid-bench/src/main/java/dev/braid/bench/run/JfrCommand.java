package dev.braid.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code braid bench jfr}: where a JVM spent its time and what it allocated, from a JFR
 * recording: CPU samples by thread, the hottest methods by self and by total samples, the
 * hottest braid/Netty/gRPC frames (the first frame of those packages on each stack), and
 * allocation samples by class and by site.
 */
@Command(name = "jfr", mixinStandardHelpOptions = true,
    description = "Summarise a JFR recording: hot methods and allocation sites.")
public final class JfrCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE.jfr")
  Path file;

  @Option(names = "--top", defaultValue = "25", description = "Rows per table")
  int top;

  @Option(names = "--threads", paramLabel = "REGEX",
      description = "Only samples of threads whose name matches")
  String threads;

  @Option(names = "--skip-seconds", defaultValue = "0",
      description = "Ignore events in the first N seconds of the recording (start-up)")
  double skipSeconds;

  @Option(names = "--focus", defaultValue = "dev.braid.,io.netty.,io.grpc.,com.google.protobuf.",
      split = ",", description = "Package prefixes for the 'first interesting frame' tables")
  List<String> focus;

  @Override
  public Integer call() throws Exception {
    Pattern tp = threads == null ? null : Pattern.compile(threads);
    Map<String, Long> byThread = new HashMap<>();
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> total = new HashMap<>();
    Map<String, Long> focusSelf = new HashMap<>();
    Map<String, Long> allocByClass = new HashMap<>();
    Map<String, Long> allocBySite = new HashMap<>();
    long samples = 0;
    long allocWeight = 0;
    java.time.Instant start = null;
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    for (RecordedEvent e : events) {
      if (start == null || e.getStartTime().isBefore(start)) {
        start = e.getStartTime();
      }
    }
    java.time.Instant from = start == null ? null
        : start.plusMillis(Math.round(skipSeconds * 1000));
    for (RecordedEvent e : events) {
      String type = e.getEventType().getName();
      boolean exec = type.equals("jdk.ExecutionSample");
      boolean alloc = type.equals("jdk.ObjectAllocationSample");
      if (!exec && !alloc) {
        continue;
      }
      if (from != null && e.getStartTime().isBefore(from)) {
        continue;
      }
      RecordedThread t = e.getThread(exec ? "sampledThread" : "eventThread");
      String tn = t == null ? "?" : t.getJavaName() == null ? t.getOSName() : t.getJavaName();
      if (tp != null && !tp.matcher(tn).find()) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> frames = st.getFrames();
      if (exec) {
        samples++;
        byThread.merge(threadGroup(tn), 1L, Long::sum);
        self.merge(name(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (seen.add(n)) {
            total.merge(n, 1L, Long::sum);
          }
        }
        RecordedFrame ff = firstFocus(frames);
        if (ff != null) {
          focusSelf.merge(name(ff), 1L, Long::sum);
        }
      } else {
        long w = e.getLong("weight");
        allocWeight += w;
        String cls = e.getClass("objectClass").getName();
        allocByClass.merge(cls, w, Long::sum);
        RecordedFrame ff = firstFocus(frames);
        String site = cls + " at " + (ff != null ? name(ff) + ":" + ff.getLineNumber()
            : name(frames.get(0)));
        allocBySite.merge(site, w, Long::sum);
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d CPU samples, %.1f MiB of sampled allocation "
        + "weight%n%n", file.getFileName(), samples, allocWeight / 1048576.0);
    print("CPU samples by thread", byThread, samples, "samples");
    print("Hot methods, self (top frame)", self, samples, "samples");
    print("Hot methods, total (anywhere on the stack)", total, samples, "samples");
    print("First " + String.join("/", focus) + " frame on each stack (self, attributed)",
        focusSelf, samples, "samples");
    print("Allocation by class (sampled weight)", allocByClass, allocWeight, "bytes");
    print("Allocation by site (class at first focus frame)", allocBySite, allocWeight,
        "bytes");
    return 0;
  }

  private RecordedFrame firstFocus(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (!f.isJavaFrame()) {
        continue;
      }
      String type = f.getMethod().getType().getName();
      for (String p : focus) {
        if (type.startsWith(p)) {
          return f;
        }
      }
    }
    return null;
  }

  private static String threadGroup(String name) {
    return name.replaceAll("-\\d+$", "-N").replaceAll("-\\d+-", "-N-");
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  private void print(String title, Map<String, Long> m, long total, String unit) {
    System.out.println("## " + title);
    List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
    l.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    for (int i = 0; i < Math.min(top, l.size()); i++) {
      Map.Entry<String, Long> e = l.get(i);
      System.out.printf(Locale.ROOT, "%6.2f%%  %,12d %s  %s%n",
          total == 0 ? 0 : 100.0 * e.getValue() / total, e.getValue(), unit, e.getKey());
    }
    System.out.println();
  }
}

package dev.braid.bench.run;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Whether processes can be pinned to CPUs with {@code taskset}. */
final class Pinning {
  private Pinning() {}

  /** True if {@code taskset -c a,b true} works (taskset exists and both CPUs are usable). */
  static boolean available(int a, int b) {
    if (a == b) {
      return false;
    }
    try {
      Process p = new ProcessBuilder("taskset", "-c", a + "," + b, "true")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

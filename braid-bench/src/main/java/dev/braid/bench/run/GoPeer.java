package dev.braid.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The Go DRPC peer (braid-interop/go-bench): built on demand with its build.sh. */
public final class GoPeer {
  private GoPeer() {}

  /** Builds bin/bench-server and bin/bench-client unless they are newer than the sources. */
  public static synchronized void ensureBuilt(Path dir) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException("Go bench directory not found: " + dir);
    }
    Path server = dir.resolve("bin/bench-server");
    Path client = dir.resolve("bin/bench-client");
    if (Files.isExecutable(server) && Files.isExecutable(client)
        && !newerSources(dir, min(Files.getLastModifiedTime(server),
            Files.getLastModifiedTime(client)))) {
      return;
    }
    Path log = Files.createTempFile("braid-bench-go-build", ".log");
    try {
      Process p = new ProcessBuilder("bash", dir.resolve("build.sh").toString())
          .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
          .start();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("building the Go peer failed: " + Files.readString(log).trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building the Go peer");
    } finally {
      Files.deleteIfExists(log);
    }
    if (!Files.isExecutable(server) || !Files.isExecutable(client)) {
      throw new IOException("the Go peer was not built (is a Go toolchain installed?)");
    }
  }

  private static FileTime min(FileTime a, FileTime b) {
    return a.compareTo(b) < 0 ? a : b;
  }

  private static boolean newerSources(Path dir, FileTime built) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.startsWith(dir.resolve("bin")))
          .filter(p -> {
            String n = p.getFileName().toString();
            return n.endsWith(".go") || n.equals("go.mod") || n.equals("go.sum");
          })
          .anyMatch(p -> {
            try {
              return Files.getLastModifiedTime(p).compareTo(built) > 0;
            } catch (IOException e) {
              return true;
            }
          });
    }
  }

  /** {@code go version}, or "not installed". */
  public static String version() {
    try {
      Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? s : "not installed";
    } catch (IOException e) {
      return "not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}

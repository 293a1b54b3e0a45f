package dev.braid.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JFR settings for profiling runs: the JDK's {@code profile.jfc} with Java method
 * sampling every 1 ms (instead of 10 ms) and up to 2000 allocation samples per second
 * (instead of 300), written once into the recording directory.
 */
final class JfrSettings {
  private JfrSettings() {}

  static synchronized Path file(Path dir) {
    Path out = dir.resolve("braid-bench.jfc");
    if (Files.exists(out)) {
      return out;
    }
    try {
      Path profile = Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc");
      String s = Files.readString(profile);
      s = s.replace("control=\"method-sampling-java-interval\">10 ms<",
          "control=\"method-sampling-java-interval\">1 ms<");
      s = s.replace("control=\"allocation-profiling\">300/s<",
          "control=\"allocation-profiling\">2000/s<");
      Files.writeString(out, s);
      return out;
    } catch (IOException e) {
      return Path.of("profile");
    }
  }
}

package dev.braid.protobuf.tools;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.RuntimeVersion;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds and runs {@code protoc} to turn .proto files into a descriptor set.
 *
 * <p>Where protoc comes from, first match wins:
 * <ol>
 *   <li>the environment variable {@value #ENV} or the system property {@value #PROPERTY};
 *   <li>{@code protoc} on the {@code PATH};
 *   <li>the Maven artifact {@code com.google.protobuf:protoc:VERSION:exe:CLASSIFIER} in the
 *       local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}),
 *       where VERSION is the protobuf-java version braid runs with and CLASSIFIER the
 *       platform (e.g. {@code linux-x86_64}). Any Maven build that used protobuf-maven-plugin
 *       or {@code mvn dependency:get -Dartifact=com.google.protobuf:protoc:VERSION:exe:CLASSIFIER}
 *       leaves it there.
 * </ol>
 * A descriptor set ({@code protoc --include_imports -o FILE.pb ...}) needs no protoc at call
 * time and is the robust choice for tools and CI.
 */
public final class Protoc {
  /** Environment variable naming the protoc executable. */
  public static final String ENV = "BRAID_PROTOC";
  /** System property naming the protoc executable. */
  public static final String PROPERTY = "braid.protoc";

  private Protoc() {}

  /** The protobuf version whose protoc matches this runtime, e.g. {@code 4.36.2}. */
  public static String version() {
    return RuntimeVersion.MAJOR + "." + RuntimeVersion.MINOR + "." + RuntimeVersion.PATCH
        + RuntimeVersion.SUFFIX;
  }

  /** The platform classifier of protoc's Maven artifact, if this platform has one. */
  static Optional<String> classifier() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.contains("linux") ? "linux" : os.contains("mac") ? "osx"
        : os.contains("windows") ? "windows" : null;
    String a = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "aarch_64";
      case "x86", "i386", "i686" -> "x86_32";
      case "ppc64le" -> "ppcle_64";
      case "s390x" -> "s390_64";
      default -> null;
    };
    return o == null || a == null ? Optional.empty() : Optional.of(o + "-" + a);
  }

  /** Finds protoc as the class comment describes. */
  public static Optional<Path> find() {
    String explicit = System.getenv(ENV);
    if (explicit == null || explicit.isBlank()) {
      explicit = System.getProperty(PROPERTY);
    }
    if (explicit != null && !explicit.isBlank()) {
      return Optional.of(Path.of(explicit));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        for (String name : new String[] {"protoc", "protoc.exe"}) {
          Path p = Path.of(dir.isEmpty() ? "." : dir, name);
          if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            return Optional.of(p);
          }
        }
      }
    }
    Optional<String> classifier = classifier();
    if (classifier.isPresent()) {
      String repo = System.getProperty("maven.repo.local",
          Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
      String v = version();
      Path p = Path.of(repo, "com", "google", "protobuf", "protoc", v,
          "protoc-" + v + "-" + classifier.get() + ".exe");
      if (Files.isRegularFile(p)) {
        if (!Files.isExecutable(p)) {
          p.toFile().setExecutable(true);
        }
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Finds protoc or explains how to provide it. */
  public static Path require() throws IOException {
    return find().orElseThrow(() -> new IOException("protoc not found: set " + ENV
        + ", put protoc on the PATH, or fetch com.google.protobuf:protoc:" + version()
        + ":exe:" + classifier().orElse("<platform>") + " into the local Maven repository; "
        + "or pass a descriptor set (protoc --include_imports -o FILE.pb) instead"));
  }

  /**
   * Compiles {@code files} (paths as protoc takes them, found through {@code importPaths};
   * none means the current directory) into a descriptor set with imports and comments.
   */
  public static FileDescriptorSet compile(Path protoc, List<Path> importPaths,
      List<String> files) throws IOException {
    Path out = Files.createTempFile("braid-protoc", ".pb");
    Path wellKnown = Files.createTempDirectory("braid-protoc-include");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(protoc.toString());
      if (importPaths.isEmpty()) {
        cmd.add("-I.");
      }
      for (Path p : importPaths) {
        cmd.add("-I" + p);
      }
      // protoc's Maven artifact is a bare executable: the well-known types' .proto files
      // (google/protobuf/*.proto) come from protobuf-java's jar, searched last.
      extractWellKnownTypes(wellKnown);
      cmd.add("-I" + wellKnown);
      cmd.add("--include_imports");
      cmd.add("--include_source_info");
      cmd.add("--descriptor_set_out=" + out);
      cmd.addAll(files);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new IOException("protoc did not finish in 2 minutes");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running protoc", e);
      }
      if (p.exitValue() != 0) {
        throw new IOException("protoc failed (exit " + p.exitValue() + "): " + output.trim());
      }
      return FileDescriptorSet.parseFrom(Files.readAllBytes(out));
    } finally {
      Files.deleteIfExists(out);
      try (var walk = Files.walk(wellKnown)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The .proto files protobuf-java ships (google/protobuf/*.proto). */
  static final List<String> WELL_KNOWN_TYPES = List.of("any", "api", "descriptor", "duration",
      "empty", "field_mask", "source_context", "struct", "timestamp", "type", "wrappers",
      "java_features");

  private static void extractWellKnownTypes(Path dir) throws IOException {
    Path target = dir.resolve("google").resolve("protobuf");
    Files.createDirectories(target);
    for (String name : WELL_KNOWN_TYPES) {
      try (var in = com.google.protobuf.Any.class.getResourceAsStream(
          "/google/protobuf/" + name + ".proto")) {
        if (in != null) {
          Files.copy(in, target.resolve(name + ".proto"));
        }
      }
    }
  }
}

package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./braid} launcher rebuilds the CLI jar when a source of any braid module the CLI
 * depends on, directly or not, is newer than the jar. Run on a miniature checkout: the real
 * script, POMs that chain braid-cli -> braid-mid -> braid-leaf, and stand-ins for
 * {@code mvnw} and {@code java} that only record that they ran.
 */
class LauncherTest {
  static final Path SCRIPT = Path.of(System.getProperty("braid.repo.root", ".."), "braid")
      .toAbsolutePath().normalize();

  @TempDir
  Path root;

  private void write(String path, String text) throws Exception {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static String pom(String... deps) {
    StringBuilder b = new StringBuilder("<project><parent><artifactId>braid-parent</artifactId>"
        + "</parent>\n<dependencies>\n");
    for (String d : deps) {
      b.append("<dependency><groupId>dev.braid</groupId><artifactId>").append(d)
          .append("</artifactId></dependency>\n");
    }
    return b.append("</dependencies></project>\n").toString();
  }

  @Test
  void rebuildsWhenATransitiveDependencyChanges() throws Exception {
    Files.copy(SCRIPT, root.resolve("braid"));
    write("pom.xml", "<project/>\n");
    write("braid-cli/pom.xml", pom("braid-mid"));
    write("braid-mid/pom.xml", pom("braid-leaf"));
    write("braid-leaf/pom.xml", pom());
    write("braid-other/pom.xml", pom());
    write("braid-cli/src/main/java/A.java", "");
    write("braid-mid/src/main/java/B.java", "");
    write("braid-leaf/src/main/java/C.java", "");
    write("braid-other/src/main/java/D.java", "");
    // mvnw stand-in: records the build and makes the jar
    write("mvnw", "#!/usr/bin/env bash\necho MVNW-RAN >&2\nmkdir -p braid-cli/target\n"
        + "touch braid-cli/target/braid-cli-all.jar\n");
    write("fakejava/bin/java", "#!/usr/bin/env bash\necho JAVA-RAN\n");
    for (String exe : new String[] {"mvnw", "fakejava/bin/java", "braid"}) {
      Files.setPosixFilePermissions(root.resolve(exe), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Instant old = Instant.now().minusSeconds(3600);
    try (var walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        Files.setLastModifiedTime(p, FileTime.from(old));
      }
    }

    String first = runWithFakeJava();
    assertThat(first).as("no jar yet: builds").contains("MVNW-RAN").contains("JAVA-RAN");
    assertThat(runWithFakeJava()).as("jar up to date").doesNotContain("MVNW-RAN");

    Path jar = root.resolve("braid-cli/target/braid-cli-all.jar");
    Instant built = Files.getLastModifiedTime(jar).toInstant();
    // a module the CLI does not depend on: no rebuild
    Files.setLastModifiedTime(root.resolve("braid-other/src/main/java/D.java"),
        FileTime.from(built.plusSeconds(10)));
    assertThat(runWithFakeJava()).doesNotContain("MVNW-RAN");
    // a dependency of a dependency: rebuild
    Files.setLastModifiedTime(root.resolve("braid-leaf/src/main/java/C.java"),
        FileTime.from(built.plusSeconds(10)));
    assertThat(runWithFakeJava()).contains("MVNW-RAN").contains("JAVA-RAN");
  }

  private String runWithFakeJava() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("braid").toString(), "--version")
        .redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", root.resolve("fakejava").toString());
    pb.environment().remove("BRAID_NO_BUILD");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}

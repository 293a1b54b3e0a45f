package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.rpc.ClientConnection;
import dev.braid.store.proto.CreateKeyspaceRequest;
import dev.braid.store.proto.DescribeSchemaRequest;
import dev.braid.store.proto.KeyspaceDef;
import dev.braid.store.proto.ReplicaBraid;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code braid node} as a process: prints "ready on HOST:PORT", serves, refuses a second node on
 * the same directory and a directory of a newer format, stops cleanly on SIGTERM (and the data
 * is there on restart).
 */
class NodeCommandTest {
  static Process node(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(),
        "node", "--data", dir.toString(), "--listen",
            "127.0.0.1:0").redirectErrorStream(true).start();
  }

  /** Reads lines until one matches; returns the match (the whole output on failure, in the message). */
  static Matcher await(BufferedReader in, Pattern p) throws Exception {
    StringBuilder all = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      all.append(line).append('\n');
      Matcher m = p.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("no line matching " + p + " in:\n" + all);
  }

  static String output(Process p) throws Exception {
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void servesRefusesASecondNodeAndStopsOnSigterm() throws Exception {
    Path dir = Files.createTempDirectory("braid-node");
    try {
      Process p = node(dir);
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
            StandardCharsets.UTF_8));
        Matcher m = await(in, Pattern.compile("^ready on 127\\.0\\.0\\.1:(\\d+)$"));
        int port = Integer.parseInt(m.group(1));
        try (ClientConnection c = ClientConnection.connect("127.0.0.1:" + port)) {
          ReplicaBraid.Client client = ReplicaBraid.newClient(c);
          client.createKeyspace(CreateKeyspaceRequest.newBuilder().setKeyspace(KeyspaceDef.newBuilder()
              .setName("ks").setReplicationClass("SimpleStrategy").setReplicationFactor(1)).build());
        }
        Process second = node(dir);
        String out = output(second);
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(out).contains("is locked by another braid node");
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(143);
      } finally {
        p.destroyForcibly();
      }
      // restart: the keyspace is still there
      Process again = node(dir);
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(again.getInputStream(),
            StandardCharsets.UTF_8));
        int port = Integer.parseInt(await(in,
            Pattern.compile("^ready on 127\\.0\\.0\\.1:(\\d+)$")).group(1));
        try (ClientConnection c = ClientConnection.connect("127.0.0.1:" + port)) {
          assertThat(ReplicaBraid.newClient(c).describeSchema(DescribeSchemaRequest.getDefaultInstance())
              .getKeyspacesList()).extracting(KeyspaceDef::getName).isEqualTo(List.of("ks"));
        }
        again.destroy();
        assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        again.destroyForcibly();
      }
      // a newer store format is refused, and so is a newer node layout
      Path storeFormat = dir.resolve("store").resolve("FORMAT");
      String current = Files.readString(storeFormat);
      Files.writeString(storeFormat, "braid-store format 99\n");
      Process newer = node(dir);
      String out = output(newer);
      assertThat(newer.exitValue()).isEqualTo(1);
      assertThat(out).contains("was written by braid-store format 99");
      Files.writeString(storeFormat, current);
      Files.writeString(dir.resolve("FORMAT"), "braid-node format 99\n");
      Process newerNode = node(dir);
      out = output(newerNode);
      assertThat(newerNode.exitValue()).isEqualTo(1);
      assertThat(out).contains("was written by braid-node format 99");
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}

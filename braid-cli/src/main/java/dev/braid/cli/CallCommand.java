package dev.braid.cli;

import dev.braid.cli.CliValues.Payload;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code braid call HOST:PORT METHOD --data-hex HEX}: one unary call with raw bytes. Prints
 * the response as lowercase hex on standard output and exits 0; on an error prints
 * {@code code N: message} on standard error and exits 1.
 *
 * <p>With {@code --proto FILE} (compiled with protoc) or {@code --descriptor-set FILE}, the
 * request is JSON ({@code --data}) in protobuf's JSON mapping, and each response is printed
 * as one line of JSON: one for unary calls, one per message for server streaming.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Makes one call and prints the response: raw bytes as hex, or with",
        "--proto/--descriptor-set JSON in and JSON out (unary and server streaming).",
        "On an error prints 'code N: message' on standard error and exits 1."})
final class CallCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server.",
      converter = CliValues.AddressConverter.class)
  private InetSocketAddress server;

  @Parameters(index = "1", paramLabel = "METHOD",
      description = "The full method name, e.g. /braid.test.Echo/Unary.")
  private String method;

  @Option(names = "--data-hex", paramLabel = "HEX",
      converter = CliValues.HexConverter.class,
      description = "The request bytes in hex; \"\" for an empty request.")
  private Payload data;

  @Option(names = "--proto", paramLabel = "FILE",
      description = "A .proto file describing the method (compiled with protoc); repeatable.")
  private List<java.nio.file.Path> protoFiles = new ArrayList<>();

  @Option(names = {"-I", "--import-path"}, paramLabel = "DIR",
      description = "An import directory for --proto; default: each file's directory.")
  private List<java.nio.file.Path> importPaths = new ArrayList<>();

  @Option(names = "--descriptor-set", paramLabel = "FILE",
      description = "A FileDescriptorSet (protoc --descriptor_set_out --include_imports).")
  private java.nio.file.Path descriptorSet;

  @Option(names = "--data", paramLabel = "JSON", defaultValue = "{}",
      description = "The JSON request with --proto or --descriptor-set (default: {}).")
  private String json;

  @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE",
      converter = CliValues.MetadataConverter.class,
      description = "Invoke metadata to send; repeatable.")
  private List<Map.Entry<String, String>> metadata = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = CliValues.DurationConverter.class,
      description = "Give up after this long, e.g. 500ms, 5s, 2m (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean jsonMode = !protoFiles.isEmpty() || descriptorSet != null;
    if (jsonMode == (data != null)) {
      err.println("braid call: give --data-hex, or --proto/--descriptor-set with --data");
      err.flush();
      return 2;
    }
    Map<String, String> md = new LinkedHashMap<>();
    metadata.forEach(e -> md.put(e.getKey(), e.getValue()));
    CallOptions options = CallOptions.DEFAULT.withMetadata(Metadata.of(md))
        .withTimeout(timeout.isZero() ? null : timeout);
    MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.raw(method, MethodType.UNARY);
    String target = CliValues.format(server);

    ClientConnection conn;
    try {
      conn = ClientConnection.builder(server).connect();
    } catch (IOException e) {
      err.println("braid call: cannot connect to " + target + ": " + CliValues.rootMessage(e));
      err.flush();
      return 1;
    }
    try {
      if (jsonMode) {
        return callJson(conn, options, out, err);
      }
      byte[] reply = conn.invoke(descriptor, data.bytes(), options);
      out.println(HexFormat.of().formatHex(reply));
      out.flush();
      return 0;
    } catch (StatusException e) {
      err.println("code " + Long.toUnsignedString(e.code()) + ": " + e.status().message());
      err.flush();
      return 1;
    } finally {
      conn.closeNow();
    }
  }

  private int callJson(ClientConnection conn, CallOptions options, PrintWriter out,
      PrintWriter err) throws StatusException {
    dev.braid.protobuf.tools.JsonCall calls;
    try {
      if (descriptorSet != null) {
        calls = dev.braid.protobuf.tools.JsonCall.fromDescriptorSet(descriptorSet);
      } else {
        List<java.nio.file.Path> includes = new ArrayList<>(importPaths);
        List<String> names = new ArrayList<>();
        for (java.nio.file.Path p : protoFiles) {
          java.nio.file.Path abs = p.toAbsolutePath().normalize();
          if (importPaths.isEmpty()) {
            includes.add(abs.getParent());
            names.add(abs.getFileName().toString());
          } else {
            names.add(relativeTo(includes, abs));
          }
        }
        calls = dev.braid.protobuf.tools.JsonCall.fromProtoFiles(includes, names);
      }
    } catch (IOException | RuntimeException e) {
      err.println("braid call: cannot load the service description: "
          + CliValues.rootMessage(e));
      err.flush();
      return 2;
    }
    String name = method.startsWith("/") ? method : "/" + method;
    try {
      calls.call(conn, name, json, options, line -> {
        out.println(line);
        out.flush();
      });
      return 0;
    } catch (com.google.protobuf.InvalidProtocolBufferException | IllegalArgumentException e) {
      err.println("braid call: bad request for " + name + ": " + e.getMessage());
      err.flush();
      return 2;
    }
  }

  private static String relativeTo(List<java.nio.file.Path> includes, java.nio.file.Path f) {
    for (java.nio.file.Path dir : includes) {
      java.nio.file.Path d = dir.toAbsolutePath().normalize();
      if (f.startsWith(d)) {
        return d.relativize(f).toString();
      }
    }
    return f.getFileName().toString();
  }
}

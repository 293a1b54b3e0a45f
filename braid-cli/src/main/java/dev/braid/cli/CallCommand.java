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
 */
@Command(name = "call", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {"Makes one unary call with raw bytes and prints the response as hex.",
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

  @Option(names = "--data-hex", required = true, paramLabel = "HEX",
      converter = CliValues.HexConverter.class,
      description = "The request bytes in hex; \"\" for an empty request.")
  private Payload data;

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
}

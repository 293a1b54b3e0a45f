package dev.braid.protoc;

import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code protoc-gen-braid}: the protoc plugin entry point. Reads a {@code CodeGeneratorRequest}
 * on standard input and writes the {@code CodeGeneratorResponse} on standard output.
 *
 * <p>Parameters come from protoc ({@code --braid_opt=generate_adapters=true} or
 * {@code --braid_out=generate_adapters=true:DIR}) or as command-line arguments of the same
 * form, which is how protobuf-maven-plugin's {@code protocPlugins}/{@code jvmMavenPlugins}
 * {@code args} reach a Java plugin.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("protoc-gen-braid: a protoc plugin generating braid (DRPC) stubs.\n"
          + "Use: protoc --plugin=protoc-gen-braid=PATH --braid_out=DIR "
          + "[--braid_opt=generate_adapters=true] FILE.proto");
      return;
    }
    if (args.length == 1 && args[0].equals("--version")) {
      String v = Main.class.getPackage().getImplementationVersion();
      System.out.println("protoc-gen-braid " + (v == null ? "(development)" : v));
      return;
    }
    InputStream in = System.in;
    CodeGeneratorRequest request = CodeGeneratorRequest.parseFrom(in.readAllBytes());
    CodeGeneratorResponse response = BraidGenerator.generate(request, List.of(args));
    OutputStream out = System.out;
    response.writeTo(out);
    out.flush();
  }
}

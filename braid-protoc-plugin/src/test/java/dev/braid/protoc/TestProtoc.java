package dev.braid.protoc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** protoc (the Maven artifact the build copies) and javac, for the generator tests. */
final class TestProtoc {
  static final Path PROTO_DIR = Path.of("src/test/proto").toAbsolutePath();
  static final List<String> PROTOS = List.of("edge/common.proto", "edge/naming.proto",
      "edge/collide.proto", "edge/conflict.proto", "edge/lite_and-digits2x.proto",
      "edge/deprecated.proto", "nopkg.proto");

  private TestProtoc() {}

  static Path protoc() {
    Path p = Path.of(System.getProperty("braid.protoc", "target/protoc/protoc.exe"));
    assertThat(p).as("protoc copied by the build").exists();
    p.toFile().setExecutable(true);
    return p;
  }

  static String run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return out;
  }

  /** Runs protoc's java_out into {@code out} and returns the descriptor set of PROTOS. */
  static FileDescriptorSet javaOut(Path out) throws Exception {
    Files.createDirectories(out);
    Path set = out.resolveSibling(out.getFileName() + ".pb");
    List<String> cmd = new ArrayList<>(List.of(protoc().toString(), "-I" + PROTO_DIR,
        "--java_out=" + out, "--include_imports", "--include_source_info",
        "--descriptor_set_out=" + set));
    cmd.addAll(PROTOS);
    run(cmd);
    return FileDescriptorSet.parseFrom(Files.readAllBytes(set));
  }

  /** The request protoc would send the plugin for PROTOS. */
  static CodeGeneratorRequest request(FileDescriptorSet set, String parameter) {
    CodeGeneratorRequest.Builder b = CodeGeneratorRequest.newBuilder()
        .addAllFileToGenerate(PROTOS).addAllProtoFile(set.getFileList());
    if (parameter != null) {
      b.setParameter(parameter);
    }
    return b.build();
  }

  static void write(CodeGeneratorResponse response, Path out) throws IOException {
    assertThat(response.hasError()).as("error: %s", response.getError()).isFalse();
    for (CodeGeneratorResponse.File f : response.getFileList()) {
      Path p = out.resolve(f.getName());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getContent());
    }
  }

  /** The test class path, minus entries for which {@code drop} answers true. */
  static List<File> classPath(java.util.function.Predicate<String> drop) {
    String cp = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    return Arrays.stream(cp.split(File.pathSeparator)).filter(s -> !s.isEmpty())
        .filter(s -> !drop.test(s)).map(File::new).collect(Collectors.toList());
  }

  /** The diagnostics of compiling every .java file under {@code src} with -Xlint:all. */
  static List<Diagnostic<? extends JavaFileObject>> javac(Path src, Path classes,
      List<File> classPath) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
    Files.createDirectories(classes);
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, Locale.ROOT,
        StandardCharsets.UTF_8); Stream<Path> walk = Files.walk(src)) {
      List<File> files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile)
          .collect(Collectors.toList());
      List<String> options = List.of("--release", "17", "-Xlint:all", "-Xmaxwarns", "10000",
          "-Xmaxerrs", "1000", "-classpath", classPath.stream().map(File::getPath)
          .collect(Collectors.joining(File.pathSeparator)), "-d", classes.toString());
      javac.getTask(null, fm, diags, options, null, fm.getJavaFileObjectsFromFiles(files))
          .call();
    }
    return diags.getDiagnostics();
  }

  static String describe(List<Diagnostic<? extends JavaFileObject>> diags) {
    return diags.stream().map(d -> d.getKind() + " " + (d.getSource() == null ? ""
        : d.getSource().getName() + ":" + d.getLineNumber()) + " " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }
}

package dev.braid.protoc;

import com.google.protobuf.DescriptorProtos.Edition;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorRequest;
import com.google.protobuf.compiler.PluginProtos.CodeGeneratorResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link CodeGeneratorRequest} into a {@link CodeGeneratorResponse}: one
 * {@code <Service>Braid.java} per service of every file to generate.
 *
 * <p>Naming: the class is the service's name plus {@code Braid}, in the file's Java package
 * ({@code java_package}, else the proto package). If a type protoc's {@code java_out}
 * generates already has that name in that package, an underscore is appended until the name
 * is free.
 */
public final class BraidGenerator {
  /** Parameters, comma-separated {@code key=value} (a bare key means {@code true}). */
  public static final String GENERATE_ADAPTERS = "generate_adapters";

  private BraidGenerator() {}

  /** The options of a run. */
  public record Options(boolean generateAdapters) {
    /**
     * Parses {@code param} (protoc's {@code --braid_opt} / {@code --braid_out=PARAM:DIR}) and
     * any command-line arguments of the same form; later ones win.
     */
    public static Options parse(String param, List<String> args) {
      Map<String, String> kv = new LinkedHashMap<>();
      List<String> parts = new ArrayList<>(args);
      if (param != null && !param.isBlank()) {
        parts.addAll(List.of(param.split(",")));
      }
      for (String p : parts) {
        String s = p.trim();
        if (s.isEmpty()) {
          continue;
        }
        int eq = s.indexOf('=');
        kv.put(eq < 0 ? s : s.substring(0, eq).trim(), eq < 0 ? "true" : s.substring(eq + 1)
            .trim());
      }
      boolean adapters = false;
      for (Map.Entry<String, String> e : kv.entrySet()) {
        if (e.getKey().equals(GENERATE_ADAPTERS)) {
          adapters = bool(e.getKey(), e.getValue());
        } else {
          throw new IllegalArgumentException("unknown parameter '" + e.getKey()
              + "'; supported: " + GENERATE_ADAPTERS + "=true|false");
        }
      }
      return new Options(adapters);
    }

    private static boolean bool(String key, String v) {
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException(key + " must be true or false, not '" + v + "'");
    }
  }

  /** Generates the response; an invalid request yields a response with its error set. */
  public static CodeGeneratorResponse generate(CodeGeneratorRequest request, List<String> args) {
    CodeGeneratorResponse.Builder response = CodeGeneratorResponse.newBuilder()
        .setSupportedFeatures(CodeGeneratorResponse.Feature.FEATURE_PROTO3_OPTIONAL_VALUE
            | CodeGeneratorResponse.Feature.FEATURE_SUPPORTS_EDITIONS_VALUE)
        .setMinimumEdition(Edition.EDITION_PROTO2_VALUE)
        .setMaximumEdition(Edition.EDITION_2023_VALUE);
    try {
      Options options = Options.parse(request.getParameter(), args);
      JavaNames names = new JavaNames(request.getProtoFileList());
      Map<String, FileDescriptorProto> byName = new HashMap<>();
      for (FileDescriptorProto f : request.getProtoFileList()) {
        byName.put(f.getName(), f);
      }
      for (String fileName : request.getFileToGenerateList()) {
        FileDescriptorProto file = byName.get(fileName);
        if (file == null) {
          throw new IllegalArgumentException("file to generate not in request: " + fileName);
        }
        Comments comments = new Comments(file);
        Set<String> taken = names.topLevelClasses(JavaNames.javaPackage(file));
        for (int i = 0; i < file.getServiceCount(); i++) {
          String className = file.getService(i).getName() + "Braid";
          while (taken.contains(className)) {
            className += "_";
          }
          taken.add(className);
          ServiceWriter w = new ServiceWriter(file, i, names, comments,
              options.generateAdapters(), className);
          response.addFileBuilder().setName(w.fileName()).setContent(w.generate());
        }
      }
    } catch (RuntimeException e) {
      response.clearFile();
      response.setError(e.getMessage() == null ? e.toString() : e.getMessage());
    }
    return response.build();
  }
}

package dev.braid.protobuf.tools;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;
import com.google.protobuf.util.JsonFormat;
import dev.braid.protobuf.ProtoEncoding;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Calls any method of a set of .proto descriptors with JSON in and JSON out, like grpcurl:
 * the request is parsed with protobuf's JSON mapping into a {@link DynamicMessage}, sent over
 * a braid {@link ClientConnection}, and every response is printed back as JSON.
 *
 * <pre>{@code
 * JsonCall calls = JsonCall.fromDescriptorSet(Path.of("api.pb"));   // protoc -o api.pb --include_imports
 * // or: JsonCall.fromProtoFiles(List.of(Path.of("proto")), List.of("pkg/api.proto"));
 * try (ClientConnection conn = ClientConnection.connect("127.0.0.1:8080")) {
 *   calls.call(conn, "pkg.Greeter/SayHello", "{\"name\":\"braid\"}", CallOptions.DEFAULT,
 *       System.out::println);
 * }
 * }</pre>
 *
 * <p>Method names: {@code pkg.Service/Method}, {@code /pkg.Service/Method} or
 * {@code pkg.Service.Method}. Unary and server-streaming methods take one request; client-
 * and bidirectional-streaming methods take any number (sent in order, then half-close).
 * Descriptor sets without their imports still work when the missing files are protobuf's
 * well-known types. {@code google.protobuf.Any} fields resolve against every message in the
 * set. Immutable and thread-safe.
 */
public final class JsonCall {
  /** protobuf's well-known types, for descriptor sets made without --include_imports. */
  private static final Map<String, FileDescriptor> WELL_KNOWN = wellKnown();

  private final Map<String, MethodDescriptor> methods;
  private final List<FileDescriptor> files;
  private final JsonFormat.TypeRegistry registry;
  private final JsonFormat.Parser parser;
  private final JsonFormat.Printer printer;
  private final boolean pretty;
  private final boolean allowUnknownFields;

  private JsonCall(Map<String, MethodDescriptor> methods, List<FileDescriptor> files,
      JsonFormat.TypeRegistry registry, boolean pretty, boolean allowUnknownFields) {
    this.methods = methods;
    this.files = files;
    this.registry = registry;
    this.pretty = pretty;
    this.allowUnknownFields = allowUnknownFields;
    JsonFormat.Parser parse = JsonFormat.parser().usingTypeRegistry(registry);
    this.parser = allowUnknownFields ? parse.ignoringUnknownFields() : parse;
    JsonFormat.Printer p = JsonFormat.printer().usingTypeRegistry(registry)
        .preservingProtoFieldNames();
    this.printer = pretty ? p : p.omittingInsignificantWhitespace();
  }

  private static Map<String, FileDescriptor> wellKnown() {
    Map<String, FileDescriptor> m = new HashMap<>();
    for (FileDescriptor f : List.of(AnyProto.getDescriptor(), ApiProto.getDescriptor(),
        DescriptorProtos.getDescriptor(), DurationProto.getDescriptor(),
        EmptyProto.getDescriptor(), FieldMaskProto.getDescriptor(),
        SourceContextProto.getDescriptor(), StructProto.getDescriptor(),
        TimestampProto.getDescriptor(), TypeProto.getDescriptor(),
        WrappersProto.getDescriptor())) {
      m.put(f.getName(), f);
    }
    return Collections.unmodifiableMap(m);
  }

  /** From a descriptor set file ({@code protoc --include_imports --descriptor_set_out=F}). */
  public static JsonCall fromDescriptorSet(Path file) throws IOException {
    return fromDescriptorSet(FileDescriptorSet.parseFrom(Files.readAllBytes(file)));
  }

  /** From a descriptor set. */
  public static JsonCall fromDescriptorSet(FileDescriptorSet set) {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (FileDescriptorProto f : set.getFileList()) {
      protos.put(f.getName(), f);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      build(name, protos, built, new ArrayList<>());
    }
    Map<String, MethodDescriptor> methods = new LinkedHashMap<>();
    List<FileDescriptor> files = new ArrayList<>();
    JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
    for (String name : protos.keySet()) {
      FileDescriptor f = built.get(name);
      files.add(f);
      registry.add(f.getMessageTypes());
      for (ServiceDescriptor s : f.getServices()) {
        for (MethodDescriptor m : s.getMethods()) {
          methods.put("/" + s.getFullName() + "/" + m.getName(), m);
        }
      }
    }
    return new JsonCall(Collections.unmodifiableMap(methods), List.copyOf(files),
        registry.build(), false, false);
  }

  /**
   * Compiles {@code files} with protoc ({@link Protoc#require()} finds it) and loads the
   * result. {@code importPaths} are protoc's {@code -I} directories.
   */
  public static JsonCall fromProtoFiles(List<Path> importPaths, List<String> files)
      throws IOException {
    return fromDescriptorSet(Protoc.compile(Protoc.require(), importPaths, files));
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built, List<String> path) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      FileDescriptor wk = WELL_KNOWN.get(name);
      if (wk != null) {
        return wk;
      }
      throw new IllegalArgumentException("descriptor set lacks " + name + " (imported by "
          + (path.isEmpty() ? "?" : path.get(path.size() - 1))
          + "); make it with protoc --include_imports");
    }
    if (path.contains(name)) {
      throw new IllegalArgumentException("import cycle: " + path + " -> " + name);
    }
    path.add(name);
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built, path));
    }
    path.remove(path.size() - 1);
    try {
      FileDescriptor f = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
      built.put(name, f);
      return f;
    } catch (DescriptorValidationException e) {
      throw new IllegalArgumentException("invalid descriptor " + name + ": " + e.getMessage(),
          e);
    }
  }

  /** A copy that prints responses as indented, multi-line JSON (default: one line each). */
  public JsonCall prettyPrinting(boolean pretty) {
    return new JsonCall(methods, files, registry, pretty, allowUnknownFields);
  }

  /**
   * A copy that ignores request fields the message type does not have (default: they are
   * errors, like every other mismatch; see {@link #parseRequest}).
   */
  public JsonCall allowingUnknownFields(boolean allow) {
    return new JsonCall(methods, files, registry, pretty, allow);
  }

  /** Every service in the set, in file order. */
  public List<ServiceDescriptor> services() {
    List<ServiceDescriptor> out = new ArrayList<>();
    for (FileDescriptor f : files) {
      out.addAll(f.getServices());
    }
    return out;
  }

  /**
   * A proto-like description of a service, method or message (or enum) of the set, by full
   * name ({@code pkg.Service}, {@code pkg.Service.Method}, {@code pkg.Service/Method},
   * {@code pkg.Message}); empty if the set has no such symbol.
   */
  public java.util.Optional<String> describe(String symbol) {
    return Describe.describe(files, symbol);
  }

  /** The full names ({@code /pkg.Service/Method}) of every method in the set. */
  public List<String> methodNames() {
    return List.copyOf(methods.keySet());
  }

  /** The method named {@code name} (see the class comment for the accepted spellings). */
  public MethodDescriptor method(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.startsWith("/") ? name : "/" + name;
    MethodDescriptor m = methods.get(n);
    if (m == null && !name.contains("/")) {
      int dot = name.lastIndexOf('.');
      if (dot > 0) {
        m = methods.get("/" + name.substring(0, dot) + "/" + name.substring(dot + 1));
      }
    }
    if (m == null) {
      throw new IllegalArgumentException("unknown method '" + name + "'; known: "
          + String.join(", ", methods.keySet()));
    }
    return m;
  }

  /** The call shape of {@code m}. */
  public static MethodType type(MethodDescriptor m) {
    if (m.isClientStreaming()) {
      return m.isServerStreaming() ? MethodType.BIDI_STREAMING : MethodType.CLIENT_STREAMING;
    }
    return m.isServerStreaming() ? MethodType.SERVER_STREAMING : MethodType.UNARY;
  }

  /** The braid descriptor of {@code m}, on {@link DynamicMessage}s. */
  public static dev.braid.rpc.MethodDescriptor<DynamicMessage, DynamicMessage> descriptor(
      MethodDescriptor m) {
    return dev.braid.rpc.MethodDescriptor.of(
        "/" + m.getService().getFullName() + "/" + m.getName(), type(m),
        ProtoEncoding.of(DynamicMessage.getDefaultInstance(m.getInputType())),
        ProtoEncoding.of(DynamicMessage.getDefaultInstance(m.getOutputType())));
  }

  /**
   * Parses a JSON request for {@code method}, strictly: the text must be exactly one JSON
   * object (nothing after it), every field must exist in the input type (unless
   * {@link #allowingUnknownFields}) and hold the JSON kind its type takes (a string for
   * {@code string}, {@code true}/{@code false} for {@code bool}, an array for a repeated
   * field...), then protobuf's JSON mapping converts it. The message of the exception names
   * the field and its expected type (or the line and column of a syntax error).
   */
  public DynamicMessage parseRequest(String method, String json)
      throws InvalidProtocolBufferException {
    return parse(method(method), json);
  }

  private DynamicMessage parse(MethodDescriptor m, String json)
      throws InvalidProtocolBufferException {
    try {
      StrictJson.check(StrictJson.parse(json), m.getInputType(), allowUnknownFields);
    } catch (IllegalArgumentException e) {
      throw new InvalidProtocolBufferException(e.getMessage());
    }
    DynamicMessage.Builder b = DynamicMessage.newBuilder(m.getInputType());
    try {
      parser.merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidProtocolBufferException(withoutClassNames(e.getMessage()));
    } catch (RuntimeException e) {
      throw new InvalidProtocolBufferException("bad request for " + m.getInputType()
          .getFullName() + ": " + withoutClassNames(String.valueOf(e.getMessage())));
    }
    return b.build();
  }

  /** {@code "com.google.gson.JsonSyntaxException: x"} becomes {@code "x"}. */
  static String withoutClassNames(String message) {
    return message.replaceAll("\\b(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*",
        "").trim();
  }

  /** Prints a message as JSON. */
  public String toJson(DynamicMessage message) throws InvalidProtocolBufferException {
    return printer.print(message);
  }

  /**
   * Calls a unary or server-streaming method with one JSON request and returns the JSON
   * responses (one for unary).
   */
  public List<String> call(ClientConnection connection, String method, String jsonRequest,
      CallOptions options) throws StatusException, InvalidProtocolBufferException {
    List<String> out = new ArrayList<>();
    call(connection, method, List.of(jsonRequest), options, out::add);
    return out;
  }

  /** As {@link #call(ClientConnection, String, String, CallOptions)}, streaming the output. */
  public void call(ClientConnection connection, String method, String jsonRequest,
      CallOptions options, Consumer<String> onResponse)
      throws StatusException, InvalidProtocolBufferException {
    call(connection, method, List.of(jsonRequest), options, onResponse);
  }

  /**
   * Calls {@code method} with {@code jsonRequests} (exactly one for unary and server
   * streaming) and hands each JSON response to {@code onResponse}, in order, on this thread.
   * Every request is parsed before the call starts.
   *
   * @throws InvalidProtocolBufferException if a request is not valid JSON for the input type
   * @throws StatusException if the call fails
   */
  public void call(ClientConnection connection, String method, List<String> jsonRequests,
      CallOptions options, Consumer<String> onResponse)
      throws StatusException, InvalidProtocolBufferException {
    MethodDescriptor m = method(method);
    MethodType type = type(m);
    if (type.clientSendsOne() && jsonRequests.size() != 1) {
      throw new IllegalArgumentException(m.getFullName() + " is " + type
          + " and takes exactly one request, not " + jsonRequests.size());
    }
    List<DynamicMessage> requests = new ArrayList<>();
    for (String json : jsonRequests) {
      requests.add(parse(m, json));
    }
    var desc = descriptor(m);
    if (type == MethodType.UNARY) {
      onResponse.accept(printer.print(connection.invoke(desc, requests.get(0), options)));
      return;
    }
    try (ClientStream<DynamicMessage, DynamicMessage> s = connection.newStream(desc, options)) {
      for (DynamicMessage r : requests) {
        s.send(r);
      }
      s.closeSend();
      DynamicMessage resp;
      while ((resp = s.receive()) != null) {
        onResponse.accept(printer.print(resp));
      }
    }
  }
}

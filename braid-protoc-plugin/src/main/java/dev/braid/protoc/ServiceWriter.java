package dev.braid.protoc;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the {@code <Service>Braid} class for one service: method descriptors, a client stub,
 * the server interface and base class, {@code bindService}, and optionally the gRPC-Java
 * adapter.
 *
 * <p>Every type outside the class is written fully qualified ({@code java.lang.String},
 * {@code dev.braid.rpc.ClientStream}), so message or enum names of the user's .proto can
 * never shadow them.
 */
final class ServiceWriter {
  /** Names an RPC's Java method must not take: Object's methods and the stubs' own. */
  private static final Set<String> RESERVED_METHODS = Set.of("getClass", "hashCode", "equals",
      "toString", "clone", "finalize", "wait", "notify", "notifyAll", "connection", "options",
      "withOptions", "bindService", "newClient");

  private final FileDescriptorProto file;
  private final ServiceDescriptorProto service;
  private final int serviceIndex;
  private final JavaNames names;
  private final Comments comments;
  private final boolean adapters;
  private final String javaPackage;
  private final String className;
  private final String serviceFullName;
  private final List<Method> methods = new ArrayList<>();
  /** First segments of the qualified names the class refers to: never use them as names. */
  private final Set<String> avoid = new HashSet<>();
  private final StringBuilder out = new StringBuilder();
  private int indent;

  private final String clientName;
  private final String serviceName;
  private final String implBaseName;
  private final String adapterName;

  private record Method(MethodDescriptorProto proto, int index, String javaName,
      String constant, String request, String response, String requestProto,
      String responseProto) {
    boolean clientStreaming() {
      return proto.getClientStreaming();
    }

    boolean serverStreaming() {
      return proto.getServerStreaming();
    }

    String shape() {
      if (clientStreaming()) {
        return serverStreaming() ? "BIDI_STREAMING" : "CLIENT_STREAMING";
      }
      return serverStreaming() ? "SERVER_STREAMING" : "UNARY";
    }
  }

  ServiceWriter(FileDescriptorProto file, int serviceIndex, JavaNames names,
      Comments comments, boolean adapters, String className) {
    this.file = file;
    this.service = file.getService(serviceIndex);
    this.serviceIndex = serviceIndex;
    this.names = names;
    this.comments = comments;
    this.adapters = adapters;
    this.javaPackage = JavaNames.javaPackage(file);
    this.className = className;
    this.serviceFullName = file.getPackage().isEmpty() ? service.getName()
        : file.getPackage() + "." + service.getName();
    avoid.add("dev");
    avoid.add("java");
    avoid.add("io");
    avoid.add("com");
    // Natural names first: camelCase, keywords and reserved names escaped with "_".
    List<String> natural = new ArrayList<>();
    Set<String> naturalAsync = new HashSet<>();
    for (int i = 0; i < service.getMethodCount(); i++) {
      MethodDescriptorProto m = service.getMethod(i);
      String base = JavaNames.camelCase(m.getName(), false);
      if (base.isEmpty()) {
        base = "method" + i;
      }
      while (JavaNames.KEYWORDS.contains(base) || RESERVED_METHODS.contains(base)) {
        base += "_";
      }
      natural.add(base);
      if (!m.getClientStreaming() && !m.getServerStreaming()) {
        naturalAsync.add(base + "Async");
      }
    }
    // Then, in declaration order: a name that is another unary method's xAsync, or that an
    // earlier method already took, gets "_" appended (Get + GetAsync: get, getAsync_).
    Set<String> usedMethods = new HashSet<>(RESERVED_METHODS);
    Set<String> usedConstants = new HashSet<>(Set.of("SERVICE_NAME", "SERVICE_DESCRIPTOR"));
    for (int i = 0; i < service.getMethodCount(); i++) {
      MethodDescriptorProto m = service.getMethod(i);
      boolean unary = !m.getClientStreaming() && !m.getServerStreaming();
      String base = natural.get(i);
      while (usedMethods.contains(base) || naturalAsync.contains(base)
          || (unary && usedMethods.contains(base + "Async"))
          || usedConstants.contains(JavaNames.upperSnake(base) + "_METHOD")) {
        base += "_";
      }
      usedMethods.add(base);
      if (unary) {
        usedMethods.add(base + "Async");
      }
      String constant = JavaNames.upperSnake(base) + "_METHOD";
      usedConstants.add(constant);
      String req = names.messageClass(m.getInputType());
      String resp = names.messageClass(m.getOutputType());
      avoid.add(JavaNames.firstSegment(req));
      avoid.add(JavaNames.firstSegment(resp));
      methods.add(new Method(m, i, base, constant, req, resp, m.getInputType(),
          m.getOutputType()));
    }
    this.clientName = typeName("Client");
    this.serviceName = typeName("Service");
    this.implBaseName = typeName("ImplBase");
    this.adapterName = typeName("GrpcAdapter");
  }

  /** A nested type name that no qualified name in the class can be confused with. */
  private String typeName(String want) {
    String n = want;
    while (avoid.contains(n) || n.equals(className)) {
      n += "_";
    }
    return n;
  }

  /** A field, parameter or local name that cannot obscure a package name. */
  private String v(String want) {
    String n = want;
    while (avoid.contains(n)) {
      n += "_";
    }
    return n;
  }

  String fileName() {
    return (javaPackage.isEmpty() ? "" : javaPackage.replace('.', '/') + "/") + className
        + ".java";
  }

  String generate() {
    line("// Generated by protoc-gen-braid (braid-protoc-plugin). DO NOT EDIT!");
    line("// source: " + file.getName());
    line("");
    if (!javaPackage.isEmpty()) {
      line("package " + javaPackage + ";");
      line("");
    }
    List<String> doc = new ArrayList<>();
    doc.add("Braid (DRPC) stubs for the service {@code " + serviceFullName + "}: method");
    doc.add("descriptors, the client {@link " + clientName + "}, the server interface {@link "
        + serviceName + "} and");
    doc.add("{@link #bindService}" + (adapters ? ", and the gRPC-Java adapter {@link "
        + adapterName + "}." : "."));
    doc.addAll(Comments.javadocLines(comments.service(serviceIndex)));
    javadoc(doc);
    boolean usesDeprecatedType = false;
    for (Method m : methods) {
      usesDeprecatedType |= names.isDeprecated(m.requestProto())
          || names.isDeprecated(m.responseProto());
    }
    if (usesDeprecatedType) {
      line("@java.lang.SuppressWarnings(\"deprecation\")");
    }
    if (service.getOptions().getDeprecated()) {
      line("@java.lang.Deprecated");
    }
    open("public final class " + className + " {");
    line("private " + className + "() {}");
    line("");
    javadoc(List.of("The full name of the service: {@value}."));
    line("public static final java.lang.String SERVICE_NAME = " + quote(serviceFullName) + ";");
    for (Method m : methods) {
      line("");
      javadoc(List.of("The method {@code " + fullMethodName(m) + "}, " + shapeText(m) + "."));
      deprecated(m);
      line("public static final " + descriptorType(m) + " " + m.constant() + " =");
      indent += 2;
      line("dev.braid.rpc.MethodDescriptor.of(" + quote(fullMethodName(m))
          + ", dev.braid.rpc.MethodType." + m.shape() + ",");
      line("    dev.braid.protobuf.ProtoEncoding.of(" + m.request() + ".parser()),");
      line("    dev.braid.protobuf.ProtoEncoding.of(" + m.response() + ".parser()));");
      indent -= 2;
    }
    line("");
    writeFactories();
    line("");
    writeClient();
    line("");
    writeServiceInterface();
    line("");
    writeImplBase();
    if (adapters) {
      line("");
      writeAdapter();
    }
    close("}");
    return out.toString();
  }

  private void writeFactories() {
    String connection = v("connection");
    String impl = v("impl");
    javadoc(List.of("A client for the service over {@code " + connection
        + "}, with default call options."));
    open("public static " + clientName + " newClient(dev.braid.rpc.ClientConnection "
        + connection + ") {");
    line("return new " + clientName + "(" + connection + ", dev.braid.rpc.CallOptions.DEFAULT);");
    close("}");
    line("");
    javadoc(List.of("The service definition serving {@code " + impl
        + "}, to register with a {@code BraidServer}:",
        "{@code BraidServer.builder().addService(" + className + ".bindService(" + impl
        + "))}."));
    open("public static dev.braid.rpc.ServiceDefinition bindService(" + serviceName + " "
        + impl + ") {");
    line("java.util.Objects.requireNonNull(" + impl + ", \"" + impl + "\");");
    line("return dev.braid.rpc.ServiceDefinition.builder(SERVICE_NAME)");
    indent += 2;
    for (Method m : methods) {
      String ref = impl + "::" + m.javaName();
      switch (m.shape()) {
        case "UNARY" -> line(".unary(" + m.constant() + ", " + ref + ")");
        case "SERVER_STREAMING" -> line(".stream(" + m.constant()
            + ", dev.braid.protobuf.stub.ServerHandlers.serverStreaming(" + ref + "))");
        case "CLIENT_STREAMING" -> line(".stream(" + m.constant()
            + ", dev.braid.protobuf.stub.ServerHandlers.clientStreaming(" + ref + "))");
        default -> line(".stream(" + m.constant() + ", " + ref + ")");
      }
    }
    line(".build();");
    indent -= 2;
    close("}");
  }

  private void writeClient() {
    String connection = v("connection");
    String options = v("options");
    String request = v("request");
    String requests = v("requests");
    String onResponse = v("onResponse");
    javadoc(List.of("The client stub of {@code " + serviceFullName + "}. Immutable and "
        + "thread-safe; {@link #withOptions}",
        "returns a copy that uses other call options (metadata, timeout)."));
    open("public static final class " + clientName + " {");
    line("private final dev.braid.rpc.ClientConnection " + connection + ";");
    line("private final dev.braid.rpc.CallOptions " + options + ";");
    line("");
    open("private " + clientName + "(dev.braid.rpc.ClientConnection " + connection
        + ", dev.braid.rpc.CallOptions " + options + ") {");
    line("this." + connection + " = java.util.Objects.requireNonNull(" + connection + ", \""
        + "connection\");");
    line("this." + options + " = java.util.Objects.requireNonNull(" + options + ", \""
        + "options\");");
    close("}");
    line("");
    javadoc(List.of("A copy of this client whose calls use {@code " + options + "}."));
    open("public " + clientName + " withOptions(dev.braid.rpc.CallOptions " + options + ") {");
    line("return new " + clientName + "(" + connection + ", " + options + ");");
    close("}");
    line("");
    javadoc(List.of("The call options this client uses."));
    open("public dev.braid.rpc.CallOptions options() {");
    line("return " + options + ";");
    close("}");
    line("");
    javadoc(List.of("The connection this client calls over."));
    open("public dev.braid.rpc.ClientConnection connection() {");
    line("return " + connection + ";");
    close("}");
    for (Method m : methods) {
      String stream = "dev.braid.rpc.ClientStream<" + m.request() + ", " + m.response() + ">";
      String ex = " throws dev.braid.rpc.StatusException";
      List<String> proto = Comments.javadocLines(comments.method(serviceIndex, m.index()));
      line("");
      switch (m.shape()) {
        case "UNARY" -> {
          methodDoc(m, proto, "Calls {@code " + fullMethodName(m)
              + "} and waits for the response.");
          deprecated(m);
          open("public " + m.response() + " " + m.javaName() + "(" + m.request() + " "
              + request + ")" + ex + " {");
          line("return " + connection + ".invoke(" + m.constant() + ", " + request + ", "
              + options + ");");
          close("}");
          line("");
          methodDoc(m, proto, "Calls {@code " + fullMethodName(m) + "} asynchronously. The "
              + "future completes with the response or a",
              "{@link dev.braid.rpc.StatusException}; cancelling it cancels the call.");
          deprecated(m);
          open("public java.util.concurrent.CompletableFuture<" + m.response() + "> "
              + m.javaName() + "Async(" + m.request() + " " + request + ") {");
          line("return " + connection + ".invokeAsync(" + m.constant() + ", " + request + ", "
              + options + ");");
          close("}");
        }
        case "SERVER_STREAMING" -> {
          methodDoc(m, proto, "Starts {@code " + fullMethodName(m) + "}: sends {@code "
              + request + "} and half-closes. Read the",
              "responses with {@code receive()} until it returns {@code null}; close the "
              + "stream to cancel early.");
          deprecated(m);
          open("public " + stream + " " + m.javaName() + "(" + m.request() + " " + request
              + ")" + ex + " {");
          line("return dev.braid.protobuf.stub.ClientStubs.serverStreaming(" + connection
              + ", " + m.constant() + ", " + request + ", " + options + ");");
          close("}");
          line("");
          methodDoc(m, proto, "Calls {@code " + fullMethodName(m) + "} and hands every "
              + "response to {@code " + onResponse + "} on this",
              "thread; returns when the server has finished.");
          deprecated(m);
          open("public void " + m.javaName() + "(" + m.request() + " " + request
              + ", java.util.function.Consumer<? super " + m.response() + "> " + onResponse
              + ")" + ex + " {");
          line("dev.braid.protobuf.stub.ClientStubs.serverStreaming(" + connection + ", "
              + m.constant() + ", " + request + ", " + options + ", " + onResponse + ");");
          close("}");
        }
        case "CLIENT_STREAMING" -> {
          methodDoc(m, proto, "Starts {@code " + fullMethodName(m) + "}: send the requests, "
              + "{@code closeSend()}, then",
              "{@code receive()} the response.");
          deprecated(m);
          open("public " + stream + " " + m.javaName() + "()" + ex + " {");
          line("return dev.braid.protobuf.stub.ClientStubs.stream(" + connection + ", "
              + m.constant() + ", " + options + ");");
          close("}");
          line("");
          methodDoc(m, proto, "Calls {@code " + fullMethodName(m) + "} with every request of "
              + "{@code " + requests + "} and waits for the",
              "response.");
          deprecated(m);
          open("public " + m.response() + " " + m.javaName() + "(java.lang.Iterable<? extends "
              + m.request() + "> " + requests + ")" + ex + " {");
          line("return dev.braid.protobuf.stub.ClientStubs.clientStreaming(" + connection
              + ", " + m.constant() + ", " + requests + ", " + options + ");");
          close("}");
        }
        default -> {
          methodDoc(m, proto, "Starts {@code " + fullMethodName(m) + "}, a bidirectional "
              + "stream: send and receive freely,",
              "{@code closeSend()} when done sending.");
          deprecated(m);
          open("public " + stream + " " + m.javaName() + "()" + ex + " {");
          line("return dev.braid.protobuf.stub.ClientStubs.stream(" + connection + ", "
              + m.constant() + ", " + options + ");");
          close("}");
        }
      }
    }
    close("}");
  }

  private void writeServiceInterface() {
    String request = v("request");
    String context = v("context");
    String responses = v("responses");
    String requests = v("requests");
    String stream = v("stream");
    javadoc(List.of("The server side of {@code " + serviceFullName + "}. Every method "
        + "defaults to answering code 12",
        "(Unimplemented), as DRPC's generated code does; implement the ones you serve and "
        + "register",
        "the implementation with {@link " + className + "#bindService}. Methods run on the "
        + "server's",
        "executor; throw a {@link dev.braid.rpc.StatusException} to answer with a code."));
    open("public interface " + serviceName + " {");
    boolean first = true;
    for (Method m : methods) {
      if (!first) {
        line("");
      }
      first = false;
      String ss = "dev.braid.rpc.ServerStream<" + m.request() + ", " + m.response() + ">";
      List<String> proto = Comments.javadocLines(comments.method(serviceIndex, m.index()));
      String ex = " throws java.lang.Exception";
      switch (m.shape()) {
        case "UNARY" -> {
          methodDoc(m, proto, "Serves {@code " + fullMethodName(m) + "}: returns the "
              + "response.");
          deprecated(m);
          open("default " + m.response() + " " + m.javaName() + "(" + m.request() + " "
              + request + ", dev.braid.rpc.ServerContext " + context + ")" + ex + " {");
        }
        case "SERVER_STREAMING" -> {
          methodDoc(m, proto, "Serves {@code " + fullMethodName(m) + "}: sends the responses "
              + "on {@code " + responses + "}; returning ends", "the call.");
          deprecated(m);
          open("default void " + m.javaName() + "(" + m.request() + " " + request + ", " + ss
              + " " + responses + ")" + ex + " {");
        }
        case "CLIENT_STREAMING" -> {
          methodDoc(m, proto, "Serves {@code " + fullMethodName(m) + "}: receives the requests "
              + "from {@code " + requests + "} until", "{@code null} and returns the response.");
          deprecated(m);
          open("default " + m.response() + " " + m.javaName() + "(" + ss + " " + requests
              + ")" + ex + " {");
        }
        default -> {
          methodDoc(m, proto, "Serves {@code " + fullMethodName(m) + "}: receives and sends "
              + "on {@code " + stream + "}; returning ends", "the call.");
          deprecated(m);
          open("default void " + m.javaName() + "(" + ss + " " + stream + ")" + ex + " {");
        }
      }
      line("throw dev.braid.protobuf.stub.ServerHandlers.unimplemented();");
      close("}");
    }
    close("}");
  }

  private void writeImplBase() {
    javadoc(List.of("A base class for implementations of {@link " + serviceName + "}."));
    open("public abstract static class " + implBaseName + " implements " + serviceName + " {");
    javadoc(List.of("{@code " + className + ".bindService(this)}."));
    open("public final dev.braid.rpc.ServiceDefinition bindService() {");
    line("return " + className + ".bindService(this);");
    close("}");
    close("}");
  }

  private void writeAdapter() {
    String impl = v("impl");
    String executor = v("executor");
    javadoc(List.of("Serves an implementation of {@link " + serviceName + "} to gRPC-Java "
        + "clients: register it with a",
        "gRPC {@code ServerBuilder} ({@code addService(new " + adapterName + "(impl))}). The "
        + "methods run on",
        "{@code " + executor + "}, with the gRPC call's metadata, deadline and cancellation "
        + "in their context."));
    open("public static final class " + adapterName + " implements io.grpc.BindableService {");
    for (Method m : methods) {
      String type = "io.grpc.MethodDescriptor<" + m.request() + ", " + m.response() + ">";
      boolean lite = names.isLiteType(m.requestProto()) || names.isLiteType(m.responseProto());
      String marshaller = lite ? "io.grpc.protobuf.lite.ProtoLiteUtils.marshaller("
          : "io.grpc.protobuf.ProtoUtils.marshaller(";
      javadoc(List.of("The gRPC descriptor of {@code " + fullMethodName(m) + "}."));
      deprecated(m);
      line("public static final " + type + " " + m.constant() + " =");
      indent += 2;
      line("io.grpc.MethodDescriptor.<" + m.request() + ", " + m.response() + ">newBuilder()");
      indent += 2;
      line(".setType(io.grpc.MethodDescriptor.MethodType." + m.shape() + ")");
      line(".setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(SERVICE_NAME, "
          + quote(m.proto().getName()) + "))");
      line(".setRequestMarshaller(" + marshaller + m.request() + ".getDefaultInstance()))");
      line(".setResponseMarshaller(" + marshaller + m.response() + ".getDefaultInstance()))");
      line(".build();");
      indent -= 4;
      line("");
    }
    javadoc(List.of("The gRPC descriptor of the service."));
    line("public static final io.grpc.ServiceDescriptor SERVICE_DESCRIPTOR =");
    indent += 2;
    line("io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)");
    indent += 2;
    for (Method m : methods) {
      line(".addMethod(" + m.constant() + ")");
    }
    line(".build();");
    indent -= 4;
    line("");
    line("private final " + serviceName + " " + impl + ";");
    line("private final java.util.concurrent.Executor " + executor + ";");
    line("");
    javadoc(List.of("An adapter running the methods on braid's shared handler pool."));
    open("public " + adapterName + "(" + serviceName + " " + impl + ") {");
    line("this(" + impl + ", dev.braid.grpc.GrpcServerBridge.defaultExecutor());");
    close("}");
    line("");
    javadoc(List.of("An adapter running the methods on {@code " + executor + "}."));
    open("public " + adapterName + "(" + serviceName + " " + impl
        + ", java.util.concurrent.Executor " + executor + ") {");
    line("this." + impl + " = java.util.Objects.requireNonNull(" + impl + ", \"impl\");");
    line("this." + executor + " = java.util.Objects.requireNonNull(" + executor
        + ", \"executor\");");
    close("}");
    line("");
    line("@java.lang.Override");
    open("public io.grpc.ServerServiceDefinition bindService() {");
    line("return dev.braid.grpc.GrpcServerBridge.bind(SERVICE_DESCRIPTOR, " + className
        + ".bindService(" + impl + "), " + executor + ");");
    close("}");
    close("}");
  }

  private String fullMethodName(Method m) {
    return "/" + serviceFullName + "/" + m.proto().getName();
  }

  private static String shapeText(Method m) {
    return switch (m.shape()) {
      case "UNARY" -> "unary";
      case "SERVER_STREAMING" -> "server streaming";
      case "CLIENT_STREAMING" -> "client streaming";
      default -> "bidirectional streaming";
    };
  }

  private String descriptorType(Method m) {
    return "dev.braid.rpc.MethodDescriptor<" + m.request() + ", " + m.response() + ">";
  }

  private void methodDoc(Method m, List<String> proto, String... lines) {
    List<String> doc = new ArrayList<>(List.of(lines));
    doc.addAll(proto);
    javadoc(doc);
  }

  private void deprecated(Method m) {
    if (m.proto().getOptions().getDeprecated()) {
      line("@java.lang.Deprecated");
    }
  }

  private void javadoc(List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    line("/**");
    for (String l : lines) {
      line(l.isEmpty() ? " *" : " * " + l);
    }
    line(" */");
  }

  private void open(String s) {
    line(s);
    indent++;
  }

  private void close(String s) {
    indent--;
    line(s);
  }

  private void line(String s) {
    if (!s.isEmpty()) {
      out.append("  ".repeat(indent));
      out.append(s);
    }
    out.append('\n');
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7e) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

package dev.braid.cli;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.braid.protobuf.tools.JsonCall;
import dev.braid.rpc.CallOptions;
import dev.braid.rpc.ClientConnection;
import dev.braid.rpc.ClientStream;
import dev.braid.rpc.Code;
import dev.braid.rpc.Metadata;
import dev.braid.rpc.MethodDescriptor;
import dev.braid.rpc.MethodType;
import dev.braid.rpc.StatusException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code braid call HOST:PORT METHOD}: one call of any shape, in the manner of grpcurl.
 *
 * <ul>
 *   <li>Raw mode (no {@code --proto}/{@code --descriptor-set}): requests are hex
 *       ({@code --data-hex}), responses are printed as lowercase hex, one line each; the
 *       shape comes from {@code --shape} (default unary).
 *   <li>JSON mode: requests are JSON ({@code -d}/{@code --data}) in protobuf's JSON mapping,
 *       checked strictly; responses are printed as one line of JSON each; the shape comes from
 *       the method's descriptor.
 * </ul>
 *
 * <p>Input: each {@code -d}/{@code --data-hex} value is the message itself, {@code @FILE} or
 * {@code @-} (standard input). Unary and server-streaming calls take one request: a file or
 * standard input is read whole. Client- and bidi-streaming calls take any number: each value
 * given literally is one message; a file or standard input holds one message per line (JSON
 * mode skips blank lines; in raw mode every line is a message, an empty line an empty one); with
 * no value at all, the requests come from standard input. Each is sent as soon as it is read
 * and responses are printed as they arrive.
 *
 * <p>Also {@code braid call HOST:PORT list [SERVICE]} and {@code describe SYMBOL}, from the
 * given .proto files or descriptor set (nothing is sent).
 *
 * <p>Exit status: 0 when the call ended OK; 1 when it ended with an error ({@code code N:
 * message} on standard error) or the server could not be reached; 2 for bad arguments or
 * input.
 *
 * <p>Threading: for client and bidi streaming a second thread reads and sends the requests
 * while the command's thread receives and prints (the one-sender, one-receiver use that
 * {@link ClientStream} allows).
 */
@Command(name = "call", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Calls a method, raw or JSON, of any shape; lists and describes.",
    description = {
        "Makes one call and prints each response on a line of its own: hex in raw",
        "mode, JSON with --proto/--descriptor-set. -d and --data-hex take the message,",
        "@FILE or @- (standard input). Client and bidi streaming send one message per",
        "line of a file or of standard input, and read standard input when given none.",
        "'braid call HOST:PORT list [SERVICE]' and 'describe SYMBOL' read the .proto.",
        "Exit status: 0 when the call ended OK; 1 when it failed ('code N: message' on",
        "standard error); 2 for bad arguments or input."},
    exitCodeOnInvalidInput = UserError.BAD_INPUT)
final class CallCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The server.",
      converter = CliValues.AddressConverter.class)
  private InetSocketAddress server;

  @Parameters(index = "1", paramLabel = "METHOD",
      description = "Service.Method or /package.Service/Method, e.g. braid.test.Echo.Unary;"
          + " or list, or describe.")
  private String method;

  @Parameters(index = "2", arity = "0..1", paramLabel = "SYMBOL",
      description = "For list: a service; for describe: a service, method or message.")
  private String symbol;

  @Option(names = "--data-hex", paramLabel = "HEX|@FILE|@-",
      description = "A raw request in hex (\"\" for an empty one), or @FILE, or @- for"
          + " standard input; repeatable for client and bidi streaming.")
  private List<String> hexData = new ArrayList<>();

  @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|@-",
      description = "A JSON request (with --proto/--descriptor-set; default {}), or @FILE,"
          + " or @- for standard input; repeatable for client and bidi streaming.")
  private List<String> jsonData = new ArrayList<>();

  @Option(names = "--shape", paramLabel = "SHAPE", converter = ShapeConverter.class,
      description = "Raw mode: unary, server-stream, client-stream or bidi (default: unary)."
          + " JSON mode takes the shape from the .proto.")
  private MethodType shape;

  @Option(names = "--proto", paramLabel = "FILE",
      description = "A .proto file describing the method (compiled with protoc); repeatable.")
  private List<Path> protoFiles = new ArrayList<>();

  @Option(names = {"-I", "--import-path"}, paramLabel = "DIR",
      description = "An import directory for --proto; default: each file's directory.")
  private List<Path> importPaths = new ArrayList<>();

  @Option(names = "--descriptor-set", paramLabel = "FILE",
      description = "A FileDescriptorSet (protoc --descriptor_set_out --include_imports).")
  private Path descriptorSet;

  @Option(names = "--allow-unknown-fields",
      description = "JSON mode: ignore request fields the message type does not have.")
  private boolean allowUnknownFields;

  @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE",
      converter = CliValues.MetadataConverter.class,
      description = "Invoke metadata to send; repeatable.")
  private List<Map.Entry<String, String>> metadata = new ArrayList<>();

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = CliValues.TimeoutConverter.class,
      description = "Give up after this long: 500ms, 2s, 1m, 1h, 1m30s; none for no deadline"
          + " (default: ${DEFAULT-VALUE}).")
  private CliValues.Timeout timeout;

  /** Raw mode without --shape: check that the method really is unary. */
  private boolean rawUnaryChecked;

  /** One request as read, with where it came from for messages. */
  private record Item(String text, String origin) {}

  /** How request text becomes a message and a response becomes a line. */
  private interface Codec<Q, R> {
    Q parse(Item item);

    String print(R response);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean jsonMode = !protoFiles.isEmpty() || descriptorSet != null;

    if (method.equals("list") || method.equals("describe")) {
      if (!jsonMode) {
        throw new UserError(method + " reads the service description: give --proto FILE or"
            + " --descriptor-set FILE (braid servers have no reflection service)");
      }
      return listOrDescribe(load(), out);
    }
    if (symbol != null) {
      throw new UserError("unexpected argument '" + symbol + "' after the method (only list"
          + " and describe take one)");
    }
    if (jsonMode && !hexData.isEmpty()) {
      throw new UserError("--data-hex is for raw calls; with --proto/--descriptor-set give"
          + " JSON with -d/--data");
    }
    if (!jsonMode && !jsonData.isEmpty()) {
      throw new UserError("-d/--data is JSON and needs --proto or --descriptor-set to encode"
          + " it; for raw bytes give --data-hex HEX");
    }

    Map<String, String> md = new LinkedHashMap<>();
    metadata.forEach(e -> md.put(e.getKey(), e.getValue()));
    CallOptions options = CallOptions.DEFAULT.withMetadata(Metadata.of(md))
        .withTimeout(timeout.duration());
    if (jsonMode) {
      return json(options, out, err);
    }
    String name = rawMethodName(method);
    MethodType type = shape == null ? MethodType.UNARY : shape;
    MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.raw(name, type);
    rawUnaryChecked = shape == null;
    Codec<byte[], byte[]> hex = new Codec<>() {
      @Override
      public byte[] parse(Item item) {
        return hex(item);
      }

      @Override
      public String print(byte[] response) {
        return HexFormat.of().formatHex(response);
      }
    };
    if (type.clientSendsOne() && hexData.isEmpty()) {
      throw new UserError("give the request with --data-hex HEX (\"\" for an empty one),"
          + " --data-hex @FILE or --data-hex @- (standard input)");
    }
    return run(descriptor, type, hexData, hex, null, options, out, err);
  }

  private int json(CallOptions options, PrintWriter out, PrintWriter err) {
    JsonCall calls = load().allowingUnknownFields(allowUnknownFields);
    if (method.isBlank()) {
      throw new UserError(emptyMethod());
    }
    com.google.protobuf.Descriptors.MethodDescriptor m;
    try {
      m = calls.method(method);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    MethodType type = JsonCall.type(m);
    if (shape != null && shape != type) {
      throw new UserError("--shape " + shapeName(shape) + " does not match the .proto, where "
          + m.getFullName() + " is " + shapeName(type) + " (leave --shape out in JSON mode)");
    }
    String fullName = "/" + m.getService().getFullName() + "/" + m.getName();
    Codec<DynamicMessage, DynamicMessage> codec = new Codec<>() {
      @Override
      public DynamicMessage parse(Item item) {
        try {
          return calls.parseRequest(fullName, item.text());
        } catch (InvalidProtocolBufferException e) {
          String msg = e.getMessage();
          if (msg.startsWith("unknown field")) {
            msg += "; --allow-unknown-fields ignores such fields";
          }
          throw new UserError("bad request for " + fullName + item.origin() + ": " + msg);
        }
      }

      @Override
      public String print(DynamicMessage response) {
        try {
          return calls.toJson(response);
        } catch (InvalidProtocolBufferException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    return run(JsonCall.descriptor(m), type, jsonData, codec, "{}", options, out, err);
  }

  private static String emptyMethod() {
    return "the method name is empty: give Service.Method or /package.Service/Method,"
        + " e.g. braid.test.Echo.Unary";
  }

  /** {@code /pkg.Service/Method} from any of the accepted spellings. */
  static String rawMethodName(String name) {
    if (name.isBlank()) {
      throw new UserError(emptyMethod());
    }
    if (name.chars().anyMatch(Character::isWhitespace)) {
      throw new UserError("method name '" + name + "' contains white space");
    }
    String n = name;
    if (!n.contains("/")) {
      int dot = n.lastIndexOf('.');
      if (dot <= 0 || dot == n.length() - 1) {
        throw new UserError("method name '" + name + "' is not Service.Method or"
            + " /package.Service/Method");
      }
      return "/" + n.substring(0, dot) + "/" + n.substring(dot + 1);
    }
    if (!n.startsWith("/")) {
      n = "/" + n;
    }
    int slash = n.indexOf('/', 1);
    if (slash <= 1 || slash == n.length() - 1 || n.indexOf('/', slash + 1) >= 0) {
      throw new UserError("method name '" + name + "' is not Service.Method or"
          + " /package.Service/Method");
    }
    return n;
  }

  /**
   * Makes the call. {@code values} are the -d/--data-hex values; {@code dflt} the request
   * when a one-request call has none ({@code null}: a value is required, checked earlier).
   */
  private <Q, R> int run(MethodDescriptor<Q, R> descriptor, MethodType type,
      List<String> values, Codec<Q, R> codec, String dflt, CallOptions options,
      PrintWriter out, PrintWriter err) {
    List<Q> single = null;
    Iterator<Item> stream = null;
    if (type.clientSendsOne()) {
      if (values.size() > 1) {
        throw new UserError(descriptor.fullName() + " is " + shapeName(type) + " and takes one"
            + " request, not " + values.size() + " (client- and bidi-streaming methods take"
            + " several)");
      }
      Item item = values.isEmpty() ? new Item(dflt, "") : readWhole(values.get(0));
      single = List.of(codec.parse(item));
    } else {
      stream = requests(values, codec);
    }

    ClientConnection conn;
    String target = CliValues.format(server);
    try {
      conn = ClientConnection.builder(server).connect();
    } catch (IOException e) {
      err.println("braid call: cannot connect to " + target + ": " + CliValues.rootMessage(e));
      err.flush();
      return 1;
    }
    try {
      if (type == MethodType.UNARY && rawUnaryChecked) {
        return rawUnary(conn, descriptor, single.get(0), codec, options, out);
      }
      if (type == MethodType.UNARY) {
        print(out, codec.print(conn.invoke(descriptor, single.get(0), options)));
        return 0;
      }
      try (ClientStream<Q, R> s = conn.newStream(descriptor, options)) {
        if (single != null) {
          s.send(single.get(0));
          s.closeSend();
          receiveAll(s, codec, out);
          return 0;
        }
        return streamRequests(s, stream, codec, out);
      }
    } catch (StatusException e) {
      String message = e.status().message();
      if (e.code() == Code.DEADLINE_EXCEEDED && timeout.duration() != null) {
        // the engine prints java.time.Duration (PT2S): show the value as it was typed
        message = message.replace(timeout.duration().toString(), timeout.text());
      }
      err.println("code " + Long.toUnsignedString(e.code()) + ": " + message);
      err.flush();
      return 1;
    } finally {
      conn.closeNow();
    }
  }

  /**
   * A raw unary call, made as DRPC makes it on the wire (invoke, one message, half-close, read
   * to the end) through a stream, so that a method that is not unary is noticed: no response,
   * or more than one, means the user gave the wrong shape (DRPC does not send shapes).
   */
  private <Q, R> int rawUnary(ClientConnection conn, MethodDescriptor<Q, R> unary, Q request,
      Codec<Q, R> codec, CallOptions options, PrintWriter out) throws StatusException {
    MethodDescriptor<Q, R> asStream = MethodDescriptor.of(unary.fullName(),
        MethodType.SERVER_STREAMING, unary.requestEncoding(), unary.responseEncoding());
    try (ClientStream<Q, R> s = conn.newStream(asStream, options)) {
      s.send(request);
      s.closeSend();
      R first = s.receive();
      if (first == null) {
        throw new UserError(unary.fullName() + " ended without a response, so it is not"
            + " unary; give --shape server-stream (or client-stream, bidi)", 1);
      }
      print(out, codec.print(first));
      if (s.receive() != null) {
        s.cancel();
        throw new UserError(unary.fullName() + " sent more than one response, so it is not"
            + " unary; give --shape server-stream (or bidi) to see them all", 1);
      }
      return 0;
    }
  }

  private <Q, R> int streamRequests(ClientStream<Q, R> s, Iterator<Item> requests,
      Codec<Q, R> codec, PrintWriter out) throws StatusException {
    AtomicReference<RuntimeException> inputFailure = new AtomicReference<>();
    Thread sender = new Thread(() -> {
      try {
        while (requests.hasNext()) {
          s.send(codec.parse(requests.next()));
        }
        s.closeSend();
      } catch (UserError | UncheckedIOException e) {
        inputFailure.set(e);
        s.cancel();
      } catch (StatusException e) {
        // the call ended: the receiving side reports its status
      }
    }, "braid-call-sender");
    sender.setDaemon(true);
    sender.start();
    try {
      receiveAll(s, codec, out);
    } catch (StatusException e) {
      join(sender);
      rethrowInputFailure(inputFailure.get());
      throw e;
    }
    join(sender);
    rethrowInputFailure(inputFailure.get());
    return 0;
  }

  private static void join(Thread sender) {
    try {
      // the sender ends right after the call does, unless it is waiting for a line of input
      // that a finished call no longer needs
      sender.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void rethrowInputFailure(RuntimeException e) {
    if (e instanceof UncheckedIOException io) {
      throw new UserError("cannot read the requests: " + CliValues.rootMessage(io));
    }
    if (e != null) {
      throw e;
    }
  }

  private <Q, R> void receiveAll(ClientStream<Q, R> s, Codec<Q, R> codec, PrintWriter out)
      throws StatusException {
    R r;
    while ((r = s.receive()) != null) {
      print(out, codec.print(r));
    }
  }

  private static void print(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }

  // ---- input ----

  /** One whole request from a value: the value itself, a whole file, or all of stdin. */
  private Item readWhole(String value) {
    if (value.equals("@-")) {
      try {
        return new Item(new String(System.in.readAllBytes(), StandardCharsets.UTF_8),
            " (standard input)");
      } catch (IOException e) {
        throw new UserError("cannot read standard input: " + CliValues.rootMessage(e));
      }
    }
    if (value.startsWith("@")) {
      Path file = Path.of(value.substring(1));
      try {
        return new Item(Files.readString(file), " (" + file + ")");
      } catch (IOException e) {
        throw new UserError(cannotRead(file, e));
      }
    }
    return new Item(value, "");
  }

  private static String cannotRead(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return "cannot read " + file + ": no such file";
    }
    if (e instanceof java.nio.charset.MalformedInputException) {
      return "cannot read " + file + ": not UTF-8 text";
    }
    return "cannot read " + file + ": " + CliValues.rootMessage(e);
  }

  /**
   * The requests of a client- or bidi-streaming call, read lazily: literal values are parsed
   * now (bad ones fail before connecting), files are opened now and read line by line while
   * sending; no values means standard input.
   */
  private <Q, R> Iterator<Item> requests(List<String> values, Codec<Q, R> codec) {
    List<String> sources = values.isEmpty() ? List.of("@-") : values;
    List<Iterator<Item>> parts = new ArrayList<>();
    boolean json = !protoFiles.isEmpty() || descriptorSet != null;
    for (String v : sources) {
      if (v.equals("@-")) {
        if (System.console() != null) {
          spec.commandLine().getErr().println("braid call: reading requests from standard"
              + " input, one per line; end with Ctrl-D");
          spec.commandLine().getErr().flush();
        }
        parts.add(lines(System.in, "standard input", json));
      } else if (v.startsWith("@")) {
        Path file = Path.of(v.substring(1));
        try {
          parts.add(lines(Files.newInputStream(file), file.toString(), json));
        } catch (IOException e) {
          throw new UserError(cannotRead(file, e));
        }
      } else {
        Item item = new Item(v, "");
        codec.parse(item);
        parts.add(List.of(item).iterator());
      }
    }
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        while (i < parts.size()) {
          if (parts.get(i).hasNext()) {
            return true;
          }
          i++;
        }
        return false;
      }

      @Override
      public Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return parts.get(i).next();
      }
    };
  }

  /** One item per line; JSON skips blank lines. Lines are read only when asked for. */
  private static Iterator<Item> lines(InputStream in, String where, boolean skipBlank) {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return new Iterator<>() {
      String next;
      int lineNo;
      boolean done;

      @Override
      public boolean hasNext() {
        while (next == null && !done) {
          try {
            String line = r.readLine();
            lineNo++;
            if (line == null) {
              done = true;
            } else if (!(skipBlank && line.isBlank())) {
              next = line;
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return next != null;
      }

      @Override
      public Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Item item = new Item(next, " (line " + lineNo + " of " + where + ")");
        next = null;
        return item;
      }
    };
  }

  /** Hex digits, either case, even length; white space at the ends (or, read whole, inside). */
  private static byte[] hex(Item item) {
    String text = item.origin().isEmpty() ? item.text()
        : item.text().replaceAll("\\s+", "");
    if (text.length() % 2 != 0) {
      throw new UserError(quoteShort(text) + item.origin() + " is not hex: odd number of"
          + " digits");
    }
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      int bad = 0;
      while (bad < text.length() && Character.digit(text.charAt(bad), 16) >= 0) {
        bad++;
      }
      throw new UserError(quoteShort(text) + item.origin() + " is not hex: '"
          + Character.toString(text.codePointAt(Math.min(bad, text.length() - 1)))
          + "' at character " + (text.codePointCount(0, bad) + 1)
          + " (give hex digits, e.g. 68656c6c6f)");
    }
  }

  private static String quoteShort(String s) {
    return "'" + (s.length() <= 40 ? s : s.substring(0, 37) + "...") + "'";
  }

  // ---- descriptions ----

  private JsonCall load() {
    try {
      if (descriptorSet != null) {
        return JsonCall.fromDescriptorSet(descriptorSet);
      }
      List<Path> includes = new ArrayList<>(importPaths);
      List<String> names = new ArrayList<>();
      for (Path p : protoFiles) {
        Path abs = p.toAbsolutePath().normalize();
        if (!Files.isRegularFile(abs)) {
          throw new UserError("cannot read " + p + ": no such file");
        }
        if (importPaths.isEmpty()) {
          if (!includes.contains(abs.getParent())) {
            includes.add(abs.getParent());
          }
          names.add(abs.getFileName().toString());
        } else {
          names.add(relativeTo(includes, abs));
        }
      }
      return JsonCall.fromProtoFiles(includes, names);
    } catch (NoSuchFileException e) {
      throw new UserError("cannot read " + e.getFile() + ": no such file");
    } catch (IOException | RuntimeException e) {
      if (e instanceof UserError u) {
        throw u;
      }
      throw new UserError("cannot load the service description: "
          + CliValues.rootMessage(e));
    }
  }

  private int listOrDescribe(JsonCall calls, PrintWriter out) {
    if (method.equals("list")) {
      List<ServiceDescriptor> services = calls.services();
      if (symbol == null) {
        services.forEach(s -> out.println(s.getFullName()));
      } else {
        ServiceDescriptor s = services.stream()
            .filter(x -> x.getFullName().equals(symbol)).findFirst()
            .orElseThrow(() -> new UserError("no service '" + symbol + "'; services: "
                + String.join(", ", services.stream().map(ServiceDescriptor::getFullName)
                    .toList())));
        s.getMethods().forEach(m -> out.println(m.getFullName()));
      }
      out.flush();
      return 0;
    }
    if (symbol == null) {
      throw new UserError("describe takes a SYMBOL: a service, method or message name");
    }
    String text = calls.describe(symbol).orElseThrow(() -> new UserError("no symbol '"
        + symbol + "' in the description (give a full name such as package.Service,"
        + " package.Service.Method or package.Message)"));
    out.println(text);
    out.flush();
    return 0;
  }

  private static String relativeTo(List<Path> includes, Path f) {
    for (Path dir : includes) {
      Path d = dir.toAbsolutePath().normalize();
      if (f.startsWith(d)) {
        return d.relativize(f).toString();
      }
    }
    return f.getFileName().toString();
  }

  // ---- shapes ----

  static String shapeName(MethodType t) {
    return switch (t) {
      case UNARY -> "unary";
      case SERVER_STREAMING -> "server-stream";
      case CLIENT_STREAMING -> "client-stream";
      case BIDI_STREAMING -> "bidi";
    };
  }

  /** {@code unary}, {@code server-stream}, {@code client-stream}, {@code bidi}. */
  static final class ShapeConverter implements ITypeConverter<MethodType> {
    @Override
    public MethodType convert(String value) {
      for (MethodType t : MethodType.values()) {
        if (shapeName(t).equals(value.toLowerCase(Locale.ROOT))) {
          return t;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a shape (one of unary,"
          + " server-stream, client-stream, bidi)");
    }
  }
}

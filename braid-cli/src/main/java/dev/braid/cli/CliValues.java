package dev.braid.cli;

import dev.braid.rpc.ClientConnection;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing and printing of command-line values: addresses, durations, hex, metadata. */
final class CliValues {
  private CliValues() {}

  /** {@code HOST:PORT}, {@code [v6]:PORT}; the host must resolve. */
  static final class AddressConverter implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String value) {
      InetSocketAddress a;
      try {
        a = ClientConnection.parseAddress(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
      if (a.isUnresolved()) {
        throw new TypeConversionException("unknown host '" + a.getHostString() + "'");
      }
      return a;
    }
  }

  /** {@code KEY=VALUE}: the key is non-empty, the value may be empty or contain '='. */
  static final class MetadataConverter implements ITypeConverter<Map.Entry<String, String>> {
    @Override
    public Map.Entry<String, String> convert(String value) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        throw new TypeConversionException("'" + value + "' is not KEY=VALUE");
      }
      return Map.entry(value.substring(0, eq), value.substring(eq + 1));
    }
  }

  /**
   * A {@code --timeout}: a duration, or {@code none} ({@link #duration()} null) for no
   * deadline. {@link #text()} is the value as typed, for messages.
   */
  record Timeout(Duration duration, String text) {}

  /**
   * {@code --timeout} values: {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h}, combined
   * ({@code 1m30s}), or {@code none}. A bare number and a zero duration are errors.
   */
  static final class TimeoutConverter implements ITypeConverter<Timeout> {
    @Override
    public Timeout convert(String value) {
      if (value.equals("none")) {
        return new Timeout(null, value);
      }
      if (value.matches("0+")) {
        throw new TypeConversionException("'" + value + "' would fail every call at once;"
            + " write none for no deadline (" + TIMEOUT_FORMS + ")");
      }
      if (value.matches("\\d+")) {
        throw new TypeConversionException("'" + value + "' has no unit: write e.g. " + value
            + "s or " + value + "ms (" + TIMEOUT_FORMS + ")");
      }
      Duration d;
      try {
        d = parseDuration(value);
      } catch (TypeConversionException e) {
        throw new TypeConversionException(e.getMessage() + "; or none for no deadline");
      }
      if (d.isZero()) {
        throw new TypeConversionException("'" + value + "' is zero, which would fail every"
            + " call; write none for no deadline");
      }
      return new Timeout(d, value);
    }
  }

  private static final String TIMEOUT_FORMS = "accepted: 500ms, 2s, 1m, 1h, 1m30s, none";

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+)(ns|us|µs|ms|s|m|h)");

  /**
   * Parses a duration as Go writes them, without fractions: one or more
   * {@code <digits><unit>} parts, units {@code ns us ms s m h}.
   */
  static Duration parseDuration(String value) {
    Matcher m = DURATION_PART.matcher(value);
    Duration total = Duration.ZERO;
    int end = 0;
    while (end < value.length() && m.find(end) && m.start() == end) {
      try {
        long n = Long.parseLong(m.group(1));
        Duration part = switch (m.group(2)) {
          case "ns" -> Duration.ofNanos(n);
          case "us", "µs" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        };
        total = total.plus(part);
      } catch (ArithmeticException | NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is too long a duration");
      }
      end = m.end();
    }
    if (end == 0 || end != value.length()) {
      throw badDuration(value);
    }
    return total;
  }

  private static TypeConversionException badDuration(String value) {
    return new TypeConversionException("'" + value
        + "' is not a duration (" + TIMEOUT_FORMS.replace(", none", "") + ")");
  }

  /** {@code host:port}, with brackets around an IPv6 host. */
  static String format(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    if (a.getAddress() instanceof Inet6Address) {
      host = "[" + host + "]";
    }
    return host + ":" + a.getPort();
  }

  /** The innermost cause's message, for one-line error reports. */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }
}

package dev.braid.cli;

import dev.braid.rpc.ClientConnection;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing and printing of command-line values: addresses, durations, hex, metadata. */
final class CliValues {
  private CliValues() {}

  /** A request payload given in hex. */
  record Payload(byte[] bytes) {}

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

  /** Hex digits, either case, even length; the empty string is an empty payload. */
  static final class HexConverter implements ITypeConverter<Payload> {
    @Override
    public Payload convert(String value) {
      if (value.length() % 2 != 0) {
        throw new TypeConversionException("'" + value
            + "' is not hex: odd number of digits");
      }
      try {
        return new Payload(HexFormat.of().parseHex(value));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is not hex: "
            + e.getMessage());
      }
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

  /** Durations as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or combined. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parseDuration(value);
    }
  }

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+)(ns|us|µs|ms|s|m|h)");

  /**
   * Parses a duration as Go writes them, without fractions: one or more
   * {@code <digits><unit>} parts, units {@code ns us ms s m h}; {@code 0} alone is zero.
   */
  static Duration parseDuration(String value) {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
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
        + "' is not a duration (examples: 500ms, 5s, 2m, 1h, 1m30s)");
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

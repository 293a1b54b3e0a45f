package dev.braid.bench.harness;

/** Formatting helpers. */
public final class Units {
  private Units() {}

  /** 0 B, 1 KiB, 64 KiB, 1 MiB, or plain bytes when not a round power. */
  public static String bytes(long n) {
    if (n >= (1 << 20) && n % (1 << 20) == 0) {
      return (n >> 20) + " MiB";
    }
    if (n >= 1024 && n % 1024 == 0) {
      return (n >> 10) + " KiB";
    }
    return n + " B";
  }

  /** A rate with thousands separators and no decimals. */
  public static String rate(double v) {
    return String.format(java.util.Locale.ROOT, "%,.0f", v);
  }

  /** Microseconds: one decimal below 100, none above. */
  public static String micros(double us) {
    if (us >= 10_000) {
      return String.format(java.util.Locale.ROOT, "%,.0f", us);
    }
    if (us >= 100) {
      return String.format(java.util.Locale.ROOT, "%.0f", us);
    }
    return String.format(java.util.Locale.ROOT, "%.1f", us);
  }

  /** Rounds to {@code decimals} places. */
  public static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}

package dev.braid.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code braid} in process with captured standard output and error. */
final class Cli {
  private Cli() {}

  /** The outcome of one command. */
  record Result(int exitCode, String out, String err) {}

  /** Runs {@code braid args...} to completion. */
  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** A writer that hands every completed line to a queue, for commands still running. */
  static final class LineQueue extends Writer {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          lines.add(partial.toString());
          partial.setLength(0);
        } else if (c != '\r') {
          partial.append(c);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    /** The next line, waiting at most {@code seconds}; fails if none comes. */
    String nextLine(long seconds) throws InterruptedException {
      String line = lines.poll(seconds, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no output line within " + seconds + " s");
      }
      return line;
    }
  }
}

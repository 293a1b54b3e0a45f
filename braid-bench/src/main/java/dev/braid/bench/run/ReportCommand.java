package dev.braid.bench.run;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code braid bench report}: re-renders JSON, Markdown and SVG from a details file. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Re-render FILE.json, FILE.md and FILE.svg from a -details.json file.")
public final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DETAILS.json", description = "A results -details.json file")
  Path in;

  @Option(names = "--out", paramLabel = "FILE.json", required = true,
      description = "Where to write (FILE.json, FILE-details.json, FILE.md, FILE.svg)")
  Path out;

  @Override
  public Integer call() throws Exception {
    Results r = Results.read(in);
    for (Path p : r.writeAll(out)) {
      System.out.println("wrote " + p);
    }
    return 0;
  }
}

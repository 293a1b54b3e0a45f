package dev.braid.bench.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code braid bench report}: re-renders JSON, Markdown and SVG from a details file, or
 * merges several passes of the same matrix (per cell, the median pass).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Re-render FILE.json, FILE.md and FILE.svg from a -details.json file.",
        "Given several (passes of the same matrix), merge them: per cell the pass with the "
            + "median calls/s, every pass's figure in the details, failed if any failed."})
public final class ReportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DETAILS.json", arity = "1..*",
      description = "Results -details.json file(s)")
  List<Path> in;

  @Option(names = "--out", paramLabel = "FILE.json", required = true,
      description = "Where to write (FILE.json, FILE-details.json, FILE.md, FILE.svg)")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Results> passes = new ArrayList<>();
    for (Path p : in) {
      passes.add(Results.read(p));
    }
    Results r = Results.median(passes);
    for (Path p : r.writeAll(out)) {
      System.out.println("wrote " + p);
    }
    return 0;
  }
}

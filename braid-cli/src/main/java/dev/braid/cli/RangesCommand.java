package dev.braid.cli;

import dev.braid.query.ClusteringIntervalSet;
import dev.braid.query.ClusteringPrefix;
import dev.braid.query.ClusteringRange;
import dev.braid.query.ClusteringSchema;
import dev.braid.query.Notation;
import dev.braid.query.NotationException;
import dev.braid.query.PositionInPartition;
import dev.braid.query.PositionRange;
import dev.braid.query.RangeConversions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code braid ranges}: a calculator for clustering ranges and positions, for people debugging
 * range bugs. Ranges given to set commands are legacy clustering ranges; results are canonical
 * legacy ranges, one per line, or the single word {@code empty}. A malformed argument exits with
 * status 2 and a message pointing at the offending character. The notation is described in
 * {@code docs/ranges.md}.
 */
@Command(name = "ranges", mixinStandardHelpOptions = true,
        description = {"Convert, combine and compare clustering ranges and positions.",
            "",
            "Commands:",
            "  to-positions RANGE        legacy range -> position range",
            "  to-legacy POSITION_RANGE  position range -> canonical legacy range (or 'empty')",
            "  intersect R1 R2 ...       intersection of legacy ranges",
            "  union R1 R2 ...           union of legacy ranges",
            "  difference R1 R2 ...      R1 minus all the others",
            "  contains RANGE KEY        whether the legacy range selects the full key (true/false)",
            "  compare P1 P2             order of two positions: <, = or >",
            "  reverse RANGE             native reversed form (legacy or position range)",
            "",
            "Example: braid ranges --clustering 'int, int, int' intersect '[(1,1,1), +inf)' '(-inf, (1,1)]'"},
        exitCodeOnInvalidInput = 2)
public class RangesCommand implements Callable<Integer> {
    /** Exit status for a malformed or wrong argument. */
    public static final int BAD_INPUT = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--clustering", required = true, paramLabel = "SPEC",
            description = "clustering columns, e.g. \"int asc, int asc, int desc\"")
    String clustering;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "one of the commands above")
    String command;

    @Parameters(index = "1..*", paramLabel = "ARGS", arity = "0..*", description = "the command's arguments")
    List<String> args = new ArrayList<>();

    /** A command with no arguments set (picocli fills them). */
    public RangesCommand() {
    }

    /** Wrong usage of a subcommand's arguments. */
    private static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ClusteringSchema schema = parse("--clustering", () -> ClusteringSchema.parse(clustering));
            List<String> lines = run(schema);
            lines.forEach(out::println);
            out.flush();
            return 0;
        } catch (BadInput e) {
            err.println("braid ranges: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
        } catch (IllegalArgumentException e) {
            // every input here comes from the user: a value the notation accepted but the
            // operation cannot take is a bad argument too
            err.println("braid ranges: " + e.getMessage());
            err.flush();
            return BAD_INPUT;
        }
    }

    private List<String> run(ClusteringSchema schema) {
        switch (command) {
            case "to-positions":
                arity(1, 1);
                return List.of(RangeConversions.fromLegacy(legacy(schema, 0)).toString());
            case "to-legacy": {
                arity(1, 1);
                PositionRange r = positionRange(schema, 0);
                Optional<ClusteringRange> legacy = guard(1, () -> RangeConversions.toLegacy(schema, r));
                return List.of(legacy.map(Object::toString).orElse("empty"));
            }
            case "intersect":
                arity(2, Integer.MAX_VALUE);
                return print(ClusteringIntervalSet.intersectionAll(schema, sets(schema, 0)));
            case "union":
                // every range is collected first and the union normalized once: n ranges take
                // O(n log n), not the O(n^2 log n) of adding them one at a time
                arity(1, Integer.MAX_VALUE);
                return print(ClusteringIntervalSet.unionAll(schema, sets(schema, 0)));
            case "difference":
                arity(2, Integer.MAX_VALUE);
                return print(set(schema, 0).differenceAll(sets(schema, 1)));
            case "contains": {
                arity(2, 2);
                ClusteringRange r = legacy(schema, 0);
                ClusteringPrefix key = parse(describe(1), () -> Notation.parsePrefix(schema, args.get(1)));
                if (!schema.isFullKey(key)) {
                    throw new BadInput(describe(1) + ": KEY must be a full clustering key of " + schema.size()
                            + " values, got " + key);
                }
                return List.of(Boolean.toString(RangeConversions.fromLegacy(r).contains(schema, PositionInPartition.forKey(key))));
            }
            case "compare": {
                arity(2, 2);
                PositionInPartition p = parse(describe(0), () -> Notation.parsePosition(schema, args.get(0)));
                PositionInPartition q = parse(describe(1), () -> Notation.parsePosition(schema, args.get(1)));
                int c = schema.compare(p, q);
                return List.of(c < 0 ? "<" : c == 0 ? "=" : ">");
            }
            case "reverse":
                arity(1, 1);
                if (Notation.looksLikePositionRange(args.get(0))) {
                    return List.of(positionRange(schema, 0).reversed().toString());
                }
                return List.of(legacy(schema, 0).reverse().toString());
            default:
                throw new BadInput("unknown command '" + command + "' (expected to-positions, to-legacy, intersect, "
                        + "union, difference, contains, compare or reverse)");
        }
    }

    private static List<String> print(ClusteringIntervalSet set) {
        List<ClusteringRange> ranges = set.toLegacy();
        if (ranges.isEmpty()) {
            return List.of("empty");
        }
        return ranges.stream().map(Object::toString).toList();
    }

    private void arity(int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? Integer.toString(min) : max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
            throw new BadInput(command + " takes " + expected + " argument" + (min == 1 && max == 1 ? "" : "s")
                    + ", got " + args.size());
        }
    }

    private String describe(int i) {
        return "argument " + (i + 1) + " of " + command;
    }

    private ClusteringRange legacy(ClusteringSchema schema, int i) {
        return parse(describe(i), () -> Notation.parseClusteringRange(schema, args.get(i)));
    }

    private PositionRange positionRange(ClusteringSchema schema, int i) {
        return parse(describe(i), () -> Notation.parsePositionRange(schema, args.get(i)));
    }

    /** The arguments from {@code from} on, each as a set. */
    private List<ClusteringIntervalSet> sets(ClusteringSchema schema, int from) {
        List<ClusteringIntervalSet> sets = new ArrayList<>(args.size() - from);
        for (int i = from; i < args.size(); i++) {
            sets.add(set(schema, i));
        }
        return sets;
    }

    private ClusteringIntervalSet set(ClusteringSchema schema, int i) {
        ClusteringRange r = legacy(schema, i);
        return guard(i + 1, () -> ClusteringIntervalSet.fromLegacy(schema, List.of(r)));
    }

    private <T> T parse(String what, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (NotationException e) {
            throw new BadInput(what + ": " + e.getMessage());
        }
    }

    private <T> T guard(int argument, java.util.function.Supplier<T> op) {
        try {
            return op.get();
        } catch (IllegalArgumentException e) {
            throw new BadInput("argument " + argument + " of " + command + ": " + e.getMessage());
        }
    }
}

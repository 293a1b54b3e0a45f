package dev.braid.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RangesCommandTest {
    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RangesCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static final String S = "int, int, int";

    @Test
    void toPositions() {
        Result r = run("--clustering", S, "to-positions", "[(1,2), (3))");
        assertThat(r.exit).isZero();
        assertThat(r.out).isEqualTo("[before(1,2), before(3))\n");
        assertThat(run("--clustering", S, "to-positions", "(-inf, +inf)").out).isEqualTo("[before_all, after_all)\n");
        assertThat(run("--clustering", S, "to-positions", "{(1,2)}").out).isEqualTo("[before(1,2), after(1,2))\n");
    }

    @Test
    void toLegacyIsCanonical() {
        assertThat(run("--clustering", S, "to-legacy", "[before(1,1,1), after(1,1))").out).isEqualTo("[(1,1,1), (1,1)]\n");
        assertThat(run("--clustering", S, "to-legacy", "[before(1), after(1))").out).isEqualTo("{(1)}\n");
        assertThat(run("--clustering", S, "to-legacy", "[before_all, after_all)").out).isEqualTo("(-inf, +inf)\n");
        assertThat(run("--clustering", S, "to-legacy", "[after(2), before(1))").out).isEqualTo("empty\n");
        Result bad = run("--clustering", S, "to-legacy", "[static, after_all)");
        assertThat(bad.exit).isEqualTo(2);
        assertThat(bad.err).contains("both bounds must be clustered");
    }

    @Test
    void setCommandsPrintCanonicalLegacyRanges() {
        // ScyllaDB #8157: naive interval arithmetic says empty
        assertThat(run("--clustering", S, "intersect", "[(1,1,1), +inf)", "(-inf, (1,1)]").out).isEqualTo("[(1,1,1), (1,1)]\n");
        // ScyllaDB #22817: deoverlap lost rows (1,6..)
        assertThat(run("--clustering", S, "union", "[(0), (1,5)]", "[(1), (1)]").out).isEqualTo("[(0), (1)]\n");
        assertThat(run("--clustering", S, "union", "[(1), (2))", "[(5), (6)]", "[(2), (3))").out)
                .isEqualTo("[(1), (3))\n[(5), (6)]\n");
        assertThat(run("--clustering", S, "difference", "[(1), (5)]", "((2), (3))").out).isEqualTo("[(1), (2)]\n[(3), (5)]\n");
        assertThat(run("--clustering", S, "intersect", "[(1), (2))", "[(3), (4))").out).isEqualTo("empty\n");
        assertThat(run("--clustering", S, "difference", "{(1)}", "[(0), (2)]").out).isEqualTo("empty\n");
    }

    @Test
    void containsCompareAndReverse() {
        assertThat(run("--clustering", S, "contains", "[(5,6,7), (5,6)]", "(5,6,8)").out).isEqualTo("true\n");
        assertThat(run("--clustering", S, "contains", "[(5,6,7), (5,6)]", "(5,6,6)").out).isEqualTo("false\n");
        assertThat(run("--clustering", S, "compare", "before(1,1,1)", "after(1,1)").out).isEqualTo("<\n");
        assertThat(run("--clustering", S, "compare", "at(1)", "before(1,0)").out).isEqualTo("<\n");
        assertThat(run("--clustering", S, "compare", "after(1)", "at(1,9,9)").out).isEqualTo(">\n");
        assertThat(run("--clustering", S, "compare", "static", "static").out).isEqualTo("=\n");
        assertThat(run("--clustering", "int desc", "compare", "before(5)", "before(3)").out).isEqualTo("<\n");
        assertThat(run("--clustering", S, "reverse", "[(1), (3))").out).isEqualTo("((3), (1)]\n");
        assertThat(run("--clustering", S, "reverse", "[before(1), before(3))").out).isEqualTo("[after(3), after(1))\n");
    }

    @Test
    void malformedArgumentsExit2PointingAtTheCharacter() {
        Result r = run("--clustering", S, "intersect", "[(1,x), (3))", "[(1), (2)]");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEmpty();
        assertThat(r.err).contains("argument 1 of intersect").contains("invalid int value 'x' at column 5")
                .contains("[(1,x), (3))\n      ^");
        Result schema = run("--clustering", "int, integr", "to-positions", "[(1), (2)]");
        assertThat(schema.exit).isEqualTo(2);
        assertThat(schema.err).contains("--clustering").contains("unknown type 'integr'").contains("at column 6");
        assertThat(run("--clustering", S, "frobnicate").exit).isEqualTo(2);
        assertThat(run("--clustering", S, "intersect", "[(1), (2)]").err).contains("intersect takes at least 2 arguments, got 1");
        assertThat(run("--clustering", S, "contains", "[(1), (2)]", "(1)").err).contains("full clustering key");
        assertThat(run("to-positions", "[(1), (2)]").exit).isEqualTo(2); // missing --clustering
    }
}

package dev.braid.query;

import net.jqwik.api.Arbitrary;

/** Public access to the grid generators for tests in other packages. */
public final class TestGenerators {
    private TestGenerators() {
    }

    /** Read commands on the 3-int grid schema. */
    public static Arbitrary<ReadCommand> commands() {
        return CommandGen.commands();
    }

    /** v2 slices on the 3-int grid schema. */
    public static Arbitrary<PartitionSliceV2> slicesV2() {
        return CommandGen.slicesV2();
    }

    /** Positions of every region on the 3-int grid schema. */
    public static Arbitrary<PositionInPartition> positions() {
        return Grid.positions();
    }
}

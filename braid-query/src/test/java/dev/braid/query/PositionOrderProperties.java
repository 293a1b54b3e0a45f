package dev.braid.query;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

class PositionOrderProperties {
    @Provide
    Arbitrary<ClusteringSchema> schemas() {
        return Grid.schemas();
    }

    @Provide
    Arbitrary<PositionInPartition> positions() {
        return Grid.positions();
    }

    @Provide
    Arbitrary<PositionInPartition> bounds() {
        return Grid.boundPositions();
    }

    @Property(tries = 400)
    void comparatorAgreesWithTheOracle(@ForAll("schemas") ClusteringSchema s, @ForAll("positions") PositionInPartition p,
            @ForAll("positions") PositionInPartition q) {
        assertThat(Integer.signum(s.compare(p, q))).isEqualTo(Grid.oracleCompare(s, p, q));
    }

    @Property(tries = 400)
    void comparatorIsAntisymmetricAndConsistentWithEquals(@ForAll("schemas") ClusteringSchema s,
            @ForAll("positions") PositionInPartition p, @ForAll("positions") PositionInPartition q) {
        assertThat(Integer.signum(s.compare(p, q))).isEqualTo(-Integer.signum(s.compare(q, p)));
        assertThat(s.compare(p, q) == 0).isEqualTo(p.equals(q));
        assertThat(s.compare(p, p)).isZero();
    }

    @Property(tries = 400)
    void comparatorIsTransitive(@ForAll("schemas") ClusteringSchema s, @ForAll("positions") PositionInPartition p,
            @ForAll("positions") PositionInPartition q, @ForAll("positions") PositionInPartition r) {
        if (s.compare(p, q) <= 0 && s.compare(q, r) <= 0) {
            assertThat(s.compare(p, r)).isLessThanOrEqualTo(0);
        }
        if (s.compare(p, q) < 0 && s.compare(q, r) <= 0) {
            assertThat(s.compare(p, r)).isNegative();
        }
    }

    @Property(tries = 300)
    void reversalIsAnInvolutionAndMirrorsTheOrder(@ForAll("schemas") ClusteringSchema s,
            @ForAll("bounds") PositionInPartition p, @ForAll("bounds") PositionInPartition q) {
        assertThat(p.reversed().reversed()).isEqualTo(p);
        assertThat(s.reversed().reversed()).isEqualTo(s);
        assertThat(Integer.signum(s.reversed().compare(p.reversed(), q.reversed())))
                .isEqualTo(Integer.signum(s.compare(q, p)));
    }

    @Property(tries = 200)
    void reversalMirrorsRowPositions(@ForAll("schemas") ClusteringSchema s, @ForAll("bounds") PositionInPartition p) {
        for (ClusteringPrefix k : Grid.allFullKeys()) {
            PositionInPartition row = PositionInPartition.forKey(k);
            assertThat(Integer.signum(s.reversed().compare(p.reversed(), row.reversed())))
                    .isEqualTo(Integer.signum(s.compare(row, p)));
        }
    }

    @Property(tries = 100)
    void sortingTheWholeGridGivesTheOracleOrder(@ForAll("schemas") ClusteringSchema s) {
        var all = new java.util.ArrayList<>(Grid.allClusteredPositions());
        all.add(PositionInPartition.staticRow());
        all.add(PositionInPartition.partitionStart());
        all.add(PositionInPartition.partitionEnd());
        java.util.Collections.shuffle(all, new java.util.Random(s.hashCode()));
        all.sort(s.positionComparator());
        for (int i = 1; i < all.size(); i++) {
            assertThat(Grid.oracleCompare(s, all.get(i - 1), all.get(i))).isLessThanOrEqualTo(0);
        }
    }
}

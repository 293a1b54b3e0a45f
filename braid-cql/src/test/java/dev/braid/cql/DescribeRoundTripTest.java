package dev.braid.cql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.cql.plan.CreateTablePlan;
import dev.braid.cql.schema.TableMetadata;
import org.junit.jupiter.api.Test;

/** DESCRIBE's CREATE TABLE text binds back to the same table. */
class DescribeRoundTripTest {
  @Test
  void toCqlBindsBackToTheSameTable() {
    for (TableMetadata t : CqlErrorsTest.SCHEMA.tables("ks")) {
      TestSchema empty = new TestSchema().addKeyspace("ks");
      CreateTablePlan p = (CreateTablePlan) Cql.prepare(t.toCql(), empty, null);
      assertThat(p.table()).as(t.toCql()).isEqualTo(t);
    }
    TestSchema quoted = new TestSchema().create("ks",
        "CREATE TABLE \"Mixed\" (\"Key\" int, \"c\"\"q\" text, PRIMARY KEY (\"Key\", \"c\"\"q\"))"
            + " WITH CLUSTERING ORDER BY (\"c\"\"q\" DESC)");
    TableMetadata t = quoted.table("ks", "Mixed").orElseThrow();
    assertThat(t.toCql()).startsWith("CREATE TABLE ks.\"Mixed\" (\n    \"Key\" int,");
    CreateTablePlan back = (CreateTablePlan) Cql.prepare(t.toCql(),
        new TestSchema().addKeyspace("ks"), null);
    assertThat(back.table()).isEqualTo(t);
  }
}

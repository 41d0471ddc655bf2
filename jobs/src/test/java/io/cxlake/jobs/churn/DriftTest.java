package io.cxlake.jobs.churn;

import static io.cxlake.common.testing.Fixtures.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cxlake.common.schema.ChurnDrift;
import io.cxlake.common.testing.Fixtures;
import io.cxlake.common.testing.SparkExtension;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Population stability against hand arithmetic and a planted shift. */
@ExtendWith(SparkExtension.class)
class DriftTest {
  private static final StructType SCHEMA = new StructType()
      .add("x", DataTypes.DoubleType)
      .add("stable", DataTypes.DoubleType)
      .add("country", DataTypes.StringType)
      .add(ChurnProbability.OUTPUT, DataTypes.DoubleType);

  @Test
  void psiByHand() {
    // (0.25 - 0.5) ln(0.25 / 0.5) + (0.75 - 0.5) ln(0.75 / 0.5)
    assertThat(Drift.psi(new double[] {0.5, 0.5}, new double[] {0.25, 0.75}))
        .isCloseTo(0.25 * Math.log(2) + 0.25 * Math.log(1.5), within(1e-12));
    assertThat(Drift.psi(new double[] {0.3, 0.7}, new double[] {0.3, 0.7})).as("same shares").isZero();
  }

  @Test
  void aShiftedInputIsFlaggedAndAStableOneIsNot(SparkSession spark) {
    Fixtures.Builder window = frame(SCHEMA);
    Fixtures.Builder today = frame(SCHEMA);
    for (int i = 0; i < 1000; i++) {
      window.row((double) i, (double) (i % 100), i % 2 == 0 ? "DE" : "FR", i / 1000.0);
      // x moves up by half its range; stable keeps its distribution; a new country appears.
      today.row(i + 500.0, (double) ((i * 7) % 100), i % 4 == 0 ? "IT" : i % 2 == 0 ? "DE" : "FR", i / 1000.0);
    }
    List<Drift.Reference> reference = Drift.reference(window.build(spark), List.of("x", "stable"), List.of("country"));
    assertThat(reference).extracting(Drift.Reference::feature).containsExactly("x", "stable",
        ChurnProbability.OUTPUT, "country");
    Drift.Reference x = reference.get(0);
    assertThat(x.bins()).as("decile bins").isEqualTo(10);
    assertThat(java.util.Arrays.stream(x.shares()).boxed().toList()).as("a tenth per decile").allSatisfy(s -> assertThat(s).isCloseTo(0.1, within(0.002)));
    assertThat(x.label(0)).startsWith("(-inf, ");
    Drift.Reference country = reference.get(3);
    assertThat(country.categories()).containsExactly("DE", "FR");
    assertThat(country.label(2)).isEqualTo("other");

    List<Row> rows = Drift.rows(today.build(spark), reference, LocalDate.parse("2026-12-01"), "2026-11-29");
    Map<String, Double> psi = rows.stream().collect(Collectors.toMap(r -> r.getAs(ChurnDrift.FEATURE),
        r -> r.<Double>getAs(ChurnDrift.PSI)));
    System.out.println("DriftTest PSI: " + psi);
    assertThat(psi.get("stable")).as("stable input").isLessThan(0.01);
    assertThat(psi.get(ChurnProbability.OUTPUT)).as("same score").isLessThan(0.01);
    // Half of today's x is above every reference edge: the last bin holds 0.55 against 0.1.
    assertThat(psi.get("x")).as("shifted input").isGreaterThan(ChurnDrift.DRIFT_THRESHOLD);
    assertThat(psi.get("country")).as("a quarter in an unseen category").isGreaterThan(ChurnDrift.DRIFT_THRESHOLD);
    assertThat(rows).filteredOn(r -> r.<Boolean>getAs(ChurnDrift.DRIFTED)).extracting(r -> r.getAs(ChurnDrift.FEATURE))
        .containsExactlyInAnyOrder("x", "country");
    assertThat(rows).extracting(r -> r.<Long>getAs(ChurnDrift.ROWS)).containsOnly(1000L);
  }
}

package io.cxlake.jobs.clv;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One model set per large segment; small segments are scored by the overall model. */
@ExtendWith(SparkExtension.class)
class ClvSegmentsTest {
  private static final StructType KEYS = new StructType()
      .add(ClvSummary.SEGMENT, DataTypes.StringType)
      .add(ClvSummary.X, DataTypes.LongType)
      .add(ClvSummary.T_X_DAYS, DataTypes.IntegerType)
      .add(ClvSummary.T_DAYS, DataTypes.IntegerType);

  /** A spread of purchase histories, `copies` customers each. */
  private static List<Row> summary(String segment, long copies) {
    List<Row> rows = new ArrayList<>();
    for (int x = 0; x <= 6; x++) {
      for (int t = 70; t <= 280; t += 70) {
        int tx = x == 0 ? 0 : t * x / 7;
        rows.add(RowFactory.create(segment, (long) x, tx, t, copies * (7 - x)));
      }
    }
    return rows;
  }

  @Test
  void largeSegmentsGetTheirOwnModelAndSmallOnesFallBack(SparkSession spark) {
    ClvConfig config = ClvConfig.from(
        CxConfig.load(Optional.empty(), Map.of("clv.segment-column", "acquisition_channel",
            "clv.min-segment-customers", "500")),
        new TableCatalog("/tmp/unused"), AsOf.parse("2026-03-31"), Optional.empty());
    List<Row> rows = new ArrayList<>(summary("referral", 10));
    rows.addAll(summary("social", 1));
    List<ClvFitter.SegmentFit> fits = ClvFitter.fit(rows, List.of(), config);
    assertThat(fits).extracting(ClvFitter.SegmentFit::segment).as("fitted segments")
        .containsExactly(ClvSummary.ALL, "referral");
    assertThat(fits.get(1).customers()).as("referral customers").isEqualTo(1120);
    assertThat(fits.get(0).customers()).as("all customers").isEqualTo(1232);

    Dataset<Row> keys = spark.createDataFrame(List.of(
        RowFactory.create("referral", 2L, 40, 140), RowFactory.create("social", 2L, 40, 140)), KEYS);
    ClvPredictor predictor = new ClvPredictor(
        Map.of(ClvSummary.ALL, params(fits.get(0)), "referral", params(fits.get(1))), Map.of(), config);
    List<Row> scored = keys.mapPartitions(predictor, Encoders.row(ClvPredictor.OUTPUT))
        .orderBy(ClvSummary.SEGMENT).collectAsList();
    assertThat(scored).extracting(r -> r.getAs(ClvPredictor.MODEL_SEGMENT)).as("model per segment")
        .containsExactly("referral", ClvSummary.ALL);
    assertThat(scored).extracting(r -> r.<Double>getAs(ClvPredictor.P_ALIVE)).as("P(alive) in (0, 1]")
        .allSatisfy(p -> assertThat(p).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
  }

  private static double[] params(ClvFitter.SegmentFit fit) {
    var p = fit.bgnbd().params();
    return new double[] {p.r(), p.alpha(), p.a(), p.b()};
  }
}

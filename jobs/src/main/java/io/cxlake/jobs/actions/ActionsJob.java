package io.cxlake.jobs.actions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.features.ProductDimension;
import io.cxlake.common.runlog.Findings;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.ClvPredictions;
import io.cxlake.common.schema.Customer360;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code actions} job: next best actions of the as-of day from the five trigger rules, with
 * consent, suppression, caps and the control group applied, written to the {@code next_best_actions}
 * partition of that day. Needs customer_360 of the day and silver transactions; web events, surveys,
 * products, clv_predictions and churn_scores are used where present. Reads its own table's earlier
 * days for the weekly cap and the cooldowns, so days are meant to run in order.
 */
public final class ActionsJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "actions";

  private ActionsJob() {}

  /** The inputs of one day. */
  record Inputs(Dataset<Row> customer360, Dataset<Row> transactions, Dataset<Row> webEvents, Dataset<Row> surveys,
      Dataset<Row> products, Dataset<Row> scores, Dataset<Row> history) {}

  /** Reads, triggers, chooses and writes. */
  public static RunStats run(SparkSession spark, ActionsConfig config) {
    TableCatalog catalog = config.catalog();
    AsOf asOf = config.asOf();
    JobInputs read = new JobInputs(spark, catalog, "choose next best actions");
    Dataset<Row> customer360 = read.snapshot(Customer360.TABLE, asOf.date());
    Dataset<Row> transactions = read.required(Transactions.TABLE);
    Optional<Dataset<Row>> clv = read.optionalSnapshot(ClvPredictions.TABLE, asOf.date());
    Optional<Dataset<Row>> churn = read.churnProbabilities(asOf.date());
    Dataset<Row> products = ProductDimension.of(read.silverOrEmpty(Products.TABLE), transactions, asOf)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Inputs inputs = new Inputs(customer360, transactions,
          read.silverOrEmpty(WebEvents.TABLE),
          read.silverOrEmpty(Surveys.TABLE),
          products,
          scores(customer360, clv, churn),
          history(spark, catalog, config));
      String path = catalog.path(NextBestActions.TABLE);
      DeltaIO.replacePartition(spark, actions(inputs, config).withColumn(NextBestActions.AS_OF_DATE, asOf.dateLit()),
          NextBestActions.TABLE, path, NextBestActions.AS_OF_DATE, asOf.date());
      long written = DeltaIO.lastCommitMetric(spark, path, "numOutputRows");
      Map<String, String> details = new LinkedHashMap<>();
      details.put("rules", String.join(",", config.rules().stream().filter(ActionsConfig.Rule::enabled)
          .map(ActionsConfig.Rule::action).toList()));
      details.put("clv", String.valueOf(clv.isPresent()));
      details.put("churn_scores", String.valueOf(churn.isPresent()));
      Dataset<Row> day = DeltaIO.read(spark, path).filter(col(NextBestActions.AS_OF_DATE).equalTo(asOf.dateLit()));
      return new RunStats(written, written, 0, details).withFinding("by status: "
          + Findings.countsBy(day, NextBestActions.STATUS) + "; by trigger: "
          + Findings.countsBy(day, NextBestActions.ACTION));
    } finally {
      products.unpersist();
    }
  }

  /** Every enabled rule's candidates, then the policy: the rows of the day without as_of_date. */
  static Dataset<Row> actions(Inputs in, ActionsConfig config) {
    AsOf asOf = config.asOf();
    List<Dataset<Row>> candidates = new ArrayList<>();
    if (config.winBack().rule().enabled()) {
      candidates.add(Policy.withRule(Triggers.winBack(in.customer360(), in.scores(), config.winBack()),
          config.winBack().rule()));
    }
    if (config.browse().rule().enabled()) {
      candidates.add(Policy.withRule(Triggers.browseAbandon(in.webEvents(), in.transactions(), in.products(),
          in.history(), asOf, config.browse()), config.browse().rule()));
    }
    if (config.recovery().rule().enabled()) {
      candidates.add(Policy.withRule(Triggers.serviceRecovery(in.customer360(), in.surveys(), in.scores(), asOf,
          config.recovery()), config.recovery().rule()));
    }
    if (config.vip().rule().enabled()) {
      candidates.add(Policy.withRule(Triggers.vip(in.customer360(), in.transactions(), in.products(), in.scores(), asOf,
          config.vip()), config.vip().rule()));
    }
    if (config.onboarding().rule().enabled()) {
      candidates.add(Policy.withRule(Triggers.onboarding(in.transactions(), in.products(), in.scores(), asOf,
          config.onboarding()), config.onboarding().rule()));
    }
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("Cannot choose next best actions: every rule is disabled (actions.*.enabled)");
    }
    Dataset<Row> all = candidates.get(0);
    for (Dataset<Row> c : candidates.subList(1, candidates.size())) {
      all = all.unionByName(c);
    }
    return Policy.choose(all, in.customer360(), in.history(), asOf, config);
  }

  /** customer_id, p_alive, clv, churn_probability per customer of the day (null where not computed). */
  static Dataset<Row> scores(Dataset<Row> customer360, Optional<Dataset<Row>> clv, Optional<Dataset<Row>> churn) {
    Dataset<Row> ids = customer360.select(Customer360.CUSTOMER_ID);
    Dataset<Row> withClv = clv.isPresent()
        ? ids.join(clv.get().select(col(ClvPredictions.CUSTOMER_ID), col(ClvPredictions.P_ALIVE).as(Triggers.P_ALIVE),
            col(ClvPredictions.CLV).as(Triggers.CLV)), Joins.on(Customer360.CUSTOMER_ID), "left")
        : ids.withColumn(Triggers.P_ALIVE, lit(null).cast(DataTypes.DoubleType))
            .withColumn(Triggers.CLV, lit(null).cast(DataTypes.DoubleType));
    return churn.isPresent()
        ? withClv.join(churn.get(), Joins.on(Customer360.CUSTOMER_ID), "left")
        : withClv.withColumn(Triggers.CHURN_PROBABILITY, lit(null).cast(DataTypes.DoubleType));
  }

  /** The table's rows of the days the cap and cooldowns look back on (none before the first run). */
  static Dataset<Row> history(SparkSession spark, TableCatalog catalog, ActionsConfig config) {
    Dataset<Row> all = DeltaIO.readOrEmpty(spark, NextBestActions.TABLE, catalog.path(NextBestActions.TABLE));
    Date from = Date.valueOf(config.asOf().date().minusDays(config.historyDays()));
    Date to = Date.valueOf(config.asOf().date());
    return all.filter(col(NextBestActions.AS_OF_DATE).geq(from).and(col(NextBestActions.AS_OF_DATE).lt(to)));
  }
}

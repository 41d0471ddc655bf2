package io.cxlake.jobs.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.xxhash64;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.NextBestActions;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.time.AsOf;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code simulate-response} step of the sample data (a landing zone written by
 * {@code generate-sample}): customers who were delivered an action of
 * a campaign on a day buy with a known extra probability in the response window after it, so
 * {@code campaign-results} has a planted effect to recover. Writes the extra purchases as one more
 * transactions file of the landing zone ({@code simulated-response-<campaign>-<day>/}); the next
 * ingest loads them. Which customers respond is a hash of the customer and the seed: a rerun writes
 * the same file, and the realized effect is known exactly (in the run log).
 */
public final class SimulateResponseJob {
  /** Job name in the run log and on the command line. */
  public static final String NAME = "simulate-response";
  /** Prefix of the transaction and order ids of simulated purchases. */
  public static final String ID_PREFIX = "SIM-";
  private static final long BUCKETS = 1_000_000L;

  private SimulateResponseJob() {}

  /**
   * What to plant.
   *
   * @param landing the landing root whose transactions folder gets the file
   * @param actionDay the day whose delivered actions respond
   * @param campaign the campaign that works (the others do not)
   * @param effect probability that a delivered customer makes the extra purchase, 0-1
   * @param amount value of each extra purchase
   * @param responseDays the purchase falls in the days after the action day (at most this many)
   * @param seed which customers respond
   */
  public record Config(TableCatalog catalog, String landing, AsOf actionDay, String campaign, double effect,
      double amount, int responseDays, long seed) {
    public Config {
      Objects.requireNonNull(catalog, "catalog");
      Objects.requireNonNull(landing, "landing");
      if (effect < 0 || effect > 1) {
        throw new IllegalArgumentException("Cannot simulate responses: --effect must be in [0, 1] (" + effect + ")");
      }
      if (amount <= 0) {
        throw new IllegalArgumentException("Cannot simulate responses: --amount must be positive (" + amount + ")");
      }
      if (responseDays < 1) {
        throw new IllegalArgumentException("Cannot simulate responses: --response-days must be positive ("
            + responseDays + ")");
      }
    }

    /** The file's folder under the landing zone's transactions. */
    String folder() {
      return landing + "/" + Transactions.CONTRACT.name() + "/simulated-response-" + campaign + "-" + actionDay;
    }
  }

  /** Reads the day's delivered actions of the campaign and writes the extra purchases. */
  public static RunStats run(SparkSession spark, Config config) {
    Dataset<Row> delivered = new JobInputs(spark, config.catalog(), "simulate campaign responses")
        .snapshot(NextBestActions.TABLE, config.actionDay().date())
        .filter(col(NextBestActions.STATUS).equalTo(NextBestActions.STATUS_DELIVER)
            .and(col(NextBestActions.CAMPAIGN).equalTo(config.campaign())));
    Dataset<Row> purchases = purchases(delivered, config).cache();
    try {
      // The sample landing zone's header: the contract's columns in order, as the generator writes them.
      List<String> present = List.of(purchases.columns());
      Column[] columns = Transactions.CONTRACT.columnNames().stream()
          .map(c -> (present.contains(c) ? col(c) : lit(null).cast(DataTypes.StringType)).as(c)).toArray(Column[]::new);
      purchases.select(columns).coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
          .csv(config.folder());
      GenerateSampleJob.dropChecksums(spark, config.folder());
      long responders = purchases.count();
      long customers = delivered.count();
      return new RunStats(customers, responders, 0, Map.of("folder", config.folder(), "delivered", String.valueOf(
          customers), "responders", String.valueOf(responders))).withFinding(String.format(Locale.ROOT,
          "%,d of %,d customers delivered %s on %s respond with a purchase of %.2f (planted probability %.2f) in %s",
          responders, customers, config.campaign(), config.actionDay(), config.amount(), config.effect(),
          config.folder()));
    } finally {
      purchases.unpersist();
    }
  }

  /** One extra completed purchase per responding customer, at a hashed time inside the window. */
  static Dataset<Row> purchases(Dataset<Row> delivered, Config config) {
    Column customer = col(NextBestActions.CUSTOMER_ID);
    Column bucket = pmod(xxhash64(customer, lit(config.seed())), lit(BUCKETS));
    long windowSeconds = config.responseDays() * 86_400L - 1;
    long start = config.actionDay().cutoff().getEpochSecond();
    Column second = lit(start).plus(pmod(xxhash64(customer, lit(config.seed() + 1)), lit(windowSeconds)));
    Column id = concat(lit(ID_PREFIX + config.campaign() + "-" + config.actionDay() + "-"), customer);
    return delivered.filter(bucket.lt(Math.round(config.effect() * BUCKETS))).select(
        id.as(Transactions.TRANSACTION_ID),
        id.as(Transactions.ORDER_ID),
        customer.as(Transactions.CUSTOMER_ID),
        date_format(timestamp_seconds(second), "yyyy-MM-dd HH:mm:ss").as(Transactions.ORDER_TS),
        lit("1").as(Transactions.QUANTITY),
        lit(String.format(Locale.ROOT, "%.2f", config.amount())).as(Transactions.UNIT_PRICE),
        lit("0").as(Transactions.DISCOUNT),
        lit("web").as(Transactions.CHANNEL),
        lit(Transactions.STATUS_COMPLETED).as(Transactions.STATUS));
  }
}

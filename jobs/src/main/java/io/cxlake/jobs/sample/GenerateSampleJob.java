package io.cxlake.jobs.sample;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_seconds;

import io.cxlake.jobs.sample.CustomerHistory.Truth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Generates a realistic landing zone (customers, products, transactions, support_tickets,
 * web_events, surveys) together with the ground truth that generated it, so every downstream job
 * can be checked against known answers.
 *
 * <h2>Generative model</h2>
 * Each customer is simulated independently from its own random streams, seeded by (seed, customer
 * index):
 * <ul>
 *   <li><b>Profile.</b> Signup uniform over the history, tilted toward recent; country weighted
 *       over US, GB, DE, FR, NL, ES, CA, AU (currency USD, GBP or EUR); acquisition channel with a
 *       dropout multiplier (referral 0.6, email 0.75, organic 1.0, paid 1.15, affiliate 1.3,
 *       social 1.4); marketing opt-in 70%.</li>
 *   <li><b>Purchases (BG/NBD).</b> lambda ~ Gamma(r = 0.8, alpha = 10 per week); p ~ Beta(a = 0.7,
 *       b = 3.5) times the channel multiplier. First purchase 0-3 days after signup, then
 *       Exp(lambda) gaps; after every repeat purchase the customer drops out with
 *       p_eff = 1 - (1 - p) * 0.75^k, where k counts the bad support experiences (ticket resolved
 *       after more than 72 h or never, or ticket CSAT at most 2) and detractor NPS responses (0-6)
 *       known before that purchase.</li>
 *   <li><b>Order value (Gamma-Gamma).</b> nu ~ Gamma(q = 4, rate gamma = 15), each order's value
 *       z ~ Gamma(p = 6, rate nu), split over 1-4 lines of products drawn from a Dirichlet(0.5)
 *       category preference and Zipf popularity; quantity and unit price keep the line total at
 *       its share of z. Latent discount affinity, sales-channel preference, ~4% returned lines and
 *       ~5% extra cancelled orders outside the purchase process.</li>
 *   <li><b>Support and surveys.</b> A ticket after ~12% of purchases plus rare unprompted ones;
 *       lognormal response and resolution times, 8% stuck tickets, contacts, reopening and CSAT
 *       that worsen when slow. Post-purchase and post-support CSAT; relationship NPS about once a
 *       customer-year from a latent satisfaction that bad experiences lower.</li>
 *   <li><b>Clickstream.</b> See {@link WebSimulator}: purchase funnels, browsing at three times the
 *       purchase rate, browse-without-buy episodes, help pages before tickets, e-mail and push
 *       engagement, 1-2 devices, anonymous sessions stitched by later logins, 30% of sessions
 *       without session id, and ~5% extra anonymous visitors.</li>
 * </ul>
 * Every timestamp lies in [as-of - historyDays, start of the as-of day) UTC. About
 * {@code badRowRate} of the rows of each source get an extra broken copy (see {@link BadRows}).
 *
 * <h2>Execution</h2>
 * The customer indexes are a {@code spark.range} with one partition per 50,000 customers; each
 * source is a separate flatMap that re-simulates the customer and keeps only that source's rows, so
 * memory stays flat at ten million customers and nothing per customer reaches the driver. The
 * product catalogue (a few hundred rows) is built on the driver. The same seed and arguments give
 * the same row content.
 */
public final class GenerateSampleJob {
  /** Customers simulated per partition: one output file per source up to this many. */
  static final long CUSTOMERS_PER_PARTITION = 50_000L;
  private static final long SALT_BAD_ROWS = 10;

  private GenerateSampleJob() {}

  /**
   * Writes the landing zone under {@code config.landing()} and the ground truth under
   * {@code config.truth()}, replacing what a previous run wrote there.
   *
   * @param spark the session to generate in; local or a cluster
   * @param config what to generate and where
   */
  public static void run(SparkSession spark, GenerateSampleConfig config) {
    PopulationParams params = PopulationParams.of(config);
    ProductCatalogue catalogue = ProductCatalogue.generate(config.seed(), config.products());
    CustomerSimulator simulator = new CustomerSimulator(params, catalogue);
    Dataset<Long> indexes = spark.range(0, config.customers(), 1, partitions(config.customers()));

    List<SampleSource> perCustomer = SampleSource.PER_CUSTOMER.stream()
        .filter(s -> config.sources().contains(s.sourceName())).toList();
    for (SampleSource source : perCustomer) {
      Dataset<Row> rows = indexes.flatMap(landingRows(simulator, source), Encoders.row(source.landingSchema()));
      writeLanding(rows, source, config.landing());
    }
    List<BadRows.Planted> productsPlanted = List.of();
    if (config.sources().contains(SampleSource.PRODUCTS.sourceName())) {
      BadRows.Result products = BadRows.inject(SampleSource.PRODUCTS, LandingRows.products(catalogue),
          badRowRandom(params, 0, SampleSource.PRODUCTS), params.badRowRate());
      writeLanding(spark.createDataFrame(toRows(products.rows()), SampleSource.PRODUCTS.landingSchema()),
          SampleSource.PRODUCTS, config.landing());
      productsPlanted = products.planted();
    }

    Dataset<Row> planted = indexes.flatMap(plantedRows(simulator, perCustomer), Encoders.row(SampleTruth.BAD_ROWS_SCHEMA))
        .union(spark.createDataFrame(plantedToRows(productsPlanted), SampleTruth.BAD_ROWS_SCHEMA));
    planted.write().mode(SaveMode.Overwrite).parquet(join(config.truth(), SampleTruth.BAD_ROWS));

    StructType rawTruth = epochSecondsForTimestamps(SampleTruth.CUSTOMERS_SCHEMA);
    Dataset<Row> truth = indexes.map(truthRow(simulator), Encoders.row(rawTruth));
    truth.select(toTimestamps(SampleTruth.CUSTOMERS_SCHEMA))
        .write().mode(SaveMode.Overwrite).parquet(join(config.truth(), SampleTruth.CUSTOMERS));

    Row paramsRow = RowFactory.create(params.r(), params.alpha(), params.a(), params.b(), params.ggP(),
        params.ggQ(), params.ggGamma(), config.seed(), config.customers(), Date.valueOf(config.asOf()),
        config.historyDays(), config.products(), config.badRowRate());
    spark.createDataFrame(List.of(paramsRow), SampleTruth.PARAMS_SCHEMA)
        .write().mode(SaveMode.Overwrite).parquet(join(config.truth(), SampleTruth.PARAMS));
  }

  /** One partition per 50,000 customers, at least one. */
  static int partitions(long customers) {
    return (int) Math.max(1, (customers + CUSTOMERS_PER_PARTITION - 1) / CUSTOMERS_PER_PARTITION);
  }

  /** A source's landing rows of one customer, broken copies included. */
  static BadRows.Result sourceRows(CustomerSimulator simulator, CustomerHistory history, SampleSource source,
      long index) {
    return BadRows.inject(source, LandingRows.of(source, history),
        badRowRandom(simulator.params(), index, source), simulator.params().badRowRate());
  }

  private static SplittableRandom badRowRandom(PopulationParams params, long index, SampleSource source) {
    return new SplittableRandom(Samplers.streamSeed(params.seed(), index, SALT_BAD_ROWS + source.ordinal()));
  }

  // Static factories keep the closures free of any enclosing instance, and pick the Java overloads.
  private static FlatMapFunction<Long, Row> landingRows(CustomerSimulator simulator, SampleSource source) {
    boolean withWeb = source == SampleSource.WEB_EVENTS;
    return index -> {
      CustomerHistory history = simulator.simulate(index, withWeb);
      return toRows(sourceRows(simulator, history, source, index).rows()).iterator();
    };
  }

  private static FlatMapFunction<Long, Row> plantedRows(CustomerSimulator simulator, List<SampleSource> sources) {
    boolean withWeb = sources.contains(SampleSource.WEB_EVENTS);
    return index -> {
      CustomerHistory history = simulator.simulate(index, withWeb);
      List<BadRows.Planted> planted = new ArrayList<>();
      for (SampleSource source : sources) {
        planted.addAll(sourceRows(simulator, history, source, index).planted());
      }
      return plantedToRows(planted).iterator();
    };
  }

  private static MapFunction<Long, Row> truthRow(CustomerSimulator simulator) {
    return index -> {
      Truth t = simulator.simulate(index, false).truth();
      return RowFactory.create(t.customerId(), t.acquisitionChannel(), t.lambdaPerWeek(), t.dropoutP(), t.ggNu(),
          t.expectedOrderValue(), t.firstPurchaseSec(), t.dropoutSec(), t.alive(), t.purchases(),
          t.badSupportExperiences(), t.detractor(), t.favouriteCategory());
    };
  }

  private static List<Row> toRows(List<String[]> rows) {
    List<Row> out = new ArrayList<>(rows.size());
    for (String[] r : rows) {
      out.add(RowFactory.create((Object[]) r));
    }
    return out;
  }

  private static List<Row> plantedToRows(List<BadRows.Planted> planted) {
    List<Row> out = new ArrayList<>(planted.size());
    for (BadRows.Planted p : planted) {
      out.add(RowFactory.create(p.source(), p.recordKey(), p.reason().name()));
    }
    return out;
  }

  /** The truth schema with epoch seconds where it has timestamps: rows stay free of time zones. */
  private static StructType epochSecondsForTimestamps(StructType schema) {
    StructField[] fields = schema.fields().clone();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].dataType().equals(DataTypes.TimestampType)) {
        fields[i] = DataTypes.createStructField(fields[i].name(), DataTypes.LongType, true);
      }
    }
    return new StructType(fields);
  }

  private static Column[] toTimestamps(StructType schema) {
    Column[] columns = new Column[schema.fields().length];
    for (int i = 0; i < columns.length; i++) {
      StructField f = schema.fields()[i];
      columns[i] = f.dataType().equals(DataTypes.TimestampType)
          ? timestamp_seconds(col(f.name())).as(f.name()) : col(f.name());
    }
    return columns;
  }

  private static void writeLanding(Dataset<Row> rows, SampleSource source, String landing) {
    String path = join(landing, source.sourceName());
    if (source.jsonLines()) {
      rows.write().mode(SaveMode.Overwrite).json(path);
    } else {
      rows.write().mode(SaveMode.Overwrite).option("header", "true").csv(path);
    }
    dropChecksums(rows.sparkSession(), path);
  }

  /**
   * Deletes the hidden {@code .crc} sidecars Hadoop's local file system writes beside each file: a
   * landing zone is the user's to edit (to try bad input), and an edited file whose sidecar no longer
   * matches would fail ingest with a checksum error instead of being read.
   */
  static void dropChecksums(SparkSession spark, String folder) {
    Path root = new Path(folder);
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      // A checksummed file system hides its own sidecars from listings: list through the raw one.
      if (fs instanceof ChecksumFileSystem checksummed) {
        fs = checksummed.getRawFileSystem();
      }
      RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
      List<Path> sidecars = new ArrayList<>();
      while (files.hasNext()) {
        Path p = files.next().getPath();
        if (p.getName().startsWith(".") && p.getName().endsWith(".crc")) {
          sidecars.add(p);
        }
      }
      for (Path p : sidecars) {
        fs.delete(p, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove checksum files: " + e.getMessage() + " (" + folder + ")", e);
    }
  }

  private static String join(String root, String child) {
    String r = root.strip();
    while (r.length() > 1 && r.endsWith("/")) {
      r = r.substring(0, r.length() - 1);
    }
    return r + "/" + child;
  }
}

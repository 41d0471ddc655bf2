package io.cxlake.common.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Creates the SparkSession every job runs in: Delta enabled, UTC session time zone (the input
 * contract's timestamps are UTC, and day boundaries of {@code --as-of} must not move with the
 * machine's zone). Without a master from {@code spark-submit} or {@code --master}, runs locally on
 * every core with settings that suit one machine.
 */
public final class SparkSessionFactory {
  /** Master used when neither spark-submit nor the user chose one. */
  public static final String LOCAL_MASTER = "local[*]";

  private SparkSessionFactory() {}

  /** Settings every cxlake session needs, whatever the master. */
  public static Map<String, String> requiredConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    conf.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    conf.put("spark.sql.session.timeZone", "UTC");
    return conf;
  }

  /**
   * Size of Spark's cache of compiled generated code ({@code spark.sql.codegen.cache.maxEntries},
   * Spark's default 100). A job plans dozens of distinct queries and a pipeline or a test JVM
   * hundreds; with 100 entries the classes are evicted and compiled again, and compiling, not
   * computing, is most of a small job's time: three ingest tests took 98 s with 100 entries and 81 s
   * with 1,000, with less metaspace in use at the end (211 MB against 222 MB).
   */
  public static final String CODEGEN_CACHE_ENTRIES = "1000";

  /** Defaults for every master; a user's own value always wins. */
  public static Map<String, String> defaults() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.codegen.cache.maxEntries", CODEGEN_CACHE_ENTRIES);
    return conf;
  }

  /** Defaults for a local run on one machine; a user's own value always wins. */
  public static Map<String, String> localDefaults() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.sql.shuffle.partitions", "8");
    // Small Delta logs replay much faster in one partition than in Spark's default 50.
    conf.put("spark.databricks.delta.snapshotPartitions", "1");
    // Spark's progress bar for long stages at a terminal; never in a scheduler's log.
    conf.put("spark.ui.showConsoleProgress", String.valueOf(System.console() != null));
    return conf;
  }

  /**
   * Creates (or returns the running) session.
   *
   * @param appName application name shown in the Spark UI and history server
   * @param master master URL, or null to keep spark-submit's choice or run locally
   * @param userConf {@code spark.*} settings from the configuration and {@code --conf}
   */
  public static SparkSession create(String appName, String master, Map<String, String> userConf) {
    SparkConf submitted = new SparkConf();
    String effectiveMaster = master != null ? master
        : userConf.getOrDefault("spark.master", submitted.get("spark.master", LOCAL_MASTER));
    SparkSession.Builder builder = SparkSession.builder().appName(appName).master(effectiveMaster);
    Map<String, String> defaults = new LinkedHashMap<>(defaults());
    if (effectiveMaster.startsWith("local")) {
      defaults.putAll(localDefaults());
    }
    defaults.forEach((k, v) -> {
      if (!userConf.containsKey(k) && !submitted.contains(k)) {
        builder.config(k, v);
      }
    });
    requiredConf().forEach(builder::config);
    userConf.forEach(builder::config);
    return builder.getOrCreate();
  }
}

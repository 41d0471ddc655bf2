package io.cxlake.jobs.cli;

import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.spark.SparkSessionFactory;
import io.cxlake.common.time.AsOf;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Options every command shares; the command line wins over --conf, which wins over --config. */
public final class CommonOptions {
  @Option(names = "--as-of", paramLabel = "YYYY-MM-DD",
      description = "As-of date: the run sees only data before the end of this day (UTC).")
  String asOf;

  @Option(names = "--allow-future-as-of",
      description = "Accept an --as-of after today (UTC), e.g. to replay a run with a fixed ingest.now.")
  boolean allowFutureAsOf;

  @Option(names = "--landing", paramLabel = "DIR",
      description = "Landing root with one folder per source (default: paths.landing).")
  String landing;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Warehouse root holding the Delta tables (default: paths.warehouse).")
  String warehouse;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Configuration file (HOCON, JSON or .properties); see conf/cxlake.conf.example.")
  File config;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", mapFallbackValue = "",
      description = "Override one configuration key; repeatable. spark.* keys go to Spark.")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  private CxConfig loaded;

  /** The effective configuration (loaded once). */
  CxConfig config() {
    if (loaded == null) {
      loaded = CxConfig.load(Optional.ofNullable(config), conf);
    }
    return loaded;
  }

  /** The as-of date, which this command requires. */
  AsOf requiredAsOf(String command) {
    if (asOf == null) {
      throw new IllegalArgumentException("Cannot run " + command + ": --as-of YYYY-MM-DD is required (none given)");
    }
    AsOf parsed = AsOf.parse(asOf);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    if (parsed.date().isAfter(today) && !allowFutureAsOf) {
      // A future as-of reads rows that cannot exist yet and writes partitions nobody asked for: a typo.
      throw new IllegalArgumentException("Cannot run " + command + ": --as-of " + parsed + " is after today ("
          + today + " UTC); pass --allow-future-as-of if you mean it");
    }
    return parsed;
  }

  String landing() {
    return landing != null ? landing : config().getString("paths.landing");
  }

  String warehouse() {
    return warehouse != null ? warehouse : config().getString("paths.warehouse");
  }

  TableCatalog catalog() {
    return new TableCatalog(warehouse());
  }

  /** The Spark session; on a cluster master outside spark-submit, ships this jar to the executors. */
  SparkSession spark(String appName) {
    Map<String, String> sparkConf = new HashMap<>(config().sparkConf());
    String effectiveMaster = master != null ? master : sparkConf.get("spark.master");
    if (effectiveMaster != null && !effectiveMaster.startsWith("local") && !sparkConf.containsKey("spark.jars")) {
      applicationJar().ifPresent(jar -> sparkConf.put("spark.jars", jar));
    }
    return SparkSessionFactory.create("cxlake " + appName, master, sparkConf);
  }

  private static Optional<String> applicationJar() {
    try {
      Path p = Path.of(CommonOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p.toString().endsWith(".jar") ? Optional.of(p.toString()) : Optional.empty();
    } catch (java.net.URISyntaxException | SecurityException e) {
      return Optional.empty();
    }
  }
}

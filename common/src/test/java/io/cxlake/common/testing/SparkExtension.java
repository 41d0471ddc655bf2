package io.cxlake.common.testing;

import io.cxlake.common.spark.SparkSessionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands tests one local SparkSession (Delta enabled) shared by every test class in the surefire
 * fork: starting Spark costs seconds, so a session per class would dominate the suite's time.
 * Use with {@code @ExtendWith(SparkExtension.class)} and a {@code SparkSession} parameter.
 */
public final class SparkExtension implements ParameterResolver {
  private static SparkSession session;

  /** The shared session, created on first use and stopped when the JVM exits. */
  public static synchronized SparkSession session() {
    if (session == null) {
      Path warehouse;
      try {
        warehouse = Files.createTempDirectory("cxlake-test-spark-warehouse");
      } catch (IOException e) {
        throw new IllegalStateException("Cannot start test Spark: no temp folder", e);
      }
      SparkSession.Builder builder = SparkSession.builder()
          .appName("cxlake-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.default.parallelism", "2")
          .config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.sql.warehouse.dir", warehouse.toUri().toString())
          .config("spark.driver.host", "127.0.0.1");
      SparkSessionFactory.defaults().forEach(builder::config);
      SparkSessionFactory.requiredConf().forEach(builder::config);
      session = builder.getOrCreate();
      session.sparkContext().setLogLevel("WARN");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
    }
    return session;
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return session();
  }
}

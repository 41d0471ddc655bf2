package io.cxlake.jobs.cli;

import io.cxlake.common.config.CxConfig;
import io.cxlake.jobs.bi.CatalogConfig;
import io.cxlake.jobs.bi.SqlEndpoint;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cxlake serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {
        "Start a SQL endpoint for BI tools (Trino 476, read-only) over the warehouse: registers the tables as",
        "'catalog sync' does, prints the JDBC URL (jdbc:trino://127.0.0.1:PORT/lake/gold) and runs until Ctrl-C.",
        "Trino needs Java 24+ (CXLAKE_TRINO_JAVA_HOME, else a JDK 24+ under /usr/lib/jvm); its Delta Lake node",
        "is extracted once from Maven Central's trino-server-476.tar.gz into ~/.cache/cxlake (CXLAKE_CACHE)."})
final class ServeCommand implements Callable<Integer> {
  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", description = "HTTP port of the endpoint (default: serve.port, 8080).")
  Integer port;

  @Option(names = "--host", description = "Address to listen on (default: serve.host, 127.0.0.1; 0.0.0.0 for all).")
  String host;

  @Override
  public Integer call() throws Exception {
    CxConfig config = common.config();
    String extra = config.getString("serve.extra-catalogs-dir");
    SqlEndpoint.serve(common.spark("serve"), new SqlEndpoint.Settings(
        CatalogConfig.from(config, common.catalog()),
        host != null ? host : config.getString("serve.host"),
        port != null ? port : config.getInt("serve.port"),
        config.getString("serve.heap"),
        extra.isBlank() ? Optional.empty() : Optional.of(Path.of(extra)),
        config.sparkConf(),
        System.getenv()), spec.commandLine().getOut());
    return 0;
  }
}

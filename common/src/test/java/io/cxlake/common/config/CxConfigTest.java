package io.cxlake.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CxConfigTest {
  @Test
  void defaultsLoad() {
    CxConfig c = CxConfig.defaults();
    assertThat(c.getInt("ingest.session-gap-minutes")).as("session gap default").isEqualTo(30);
    assertThat(c.getString("sources.web_events.format")).as("web events are JSON lines").isEqualTo("json");
  }

  @Test
  void commandLineOverridesFileWhichOverridesDefaults(@TempDir Path dir) throws Exception {
    File file = dir.resolve("my.conf").toFile();
    Files.writeString(file.toPath(), "ingest.session-gap-minutes = 45\ncustomer360 { browse-min-views = 3 }\n"
        + "sources.transactions.columns { order_ts = \"InvoiceDate\" }\n");
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("customer360.browse-min-views", "4");
    overrides.put("spark.sql.shuffle.partitions", "16");
    CxConfig c = CxConfig.load(Optional.of(file), overrides);
    assertThat(c.getInt("ingest.session-gap-minutes")).as("from the file").isEqualTo(45);
    assertThat(c.getInt("customer360.browse-min-views")).as("--conf wins").isEqualTo(4);
    assertThat(c.getStringMap("sources.transactions.columns")).as("column mapping")
        .containsExactly(Map.entry("order_ts", "InvoiceDate"));
    assertThat(c.sparkConf()).as("spark keys pass through").containsEntry("spark.sql.shuffle.partitions", "16");
  }

  @Test
  void sparkKeyThatPrefixesAnotherKeepsBoth(@TempDir Path dir) throws Exception {
    File file = dir.resolve("s3.conf").toFile();
    Files.writeString(file.toPath(), "\"spark.hadoop.fs.s3a.endpoint\" = \"http://file:9000\"\n"
        + "spark { hadoop.fs.s3a.path.style.access = true }\n");
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    overrides.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    CxConfig c = CxConfig.load(Optional.of(file), overrides);
    assertThat(c.sparkConf()).as("Hadoop keys are flat names, not HOCON paths")
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true");
  }

  @Test
  void unknownKeyIsAnErrorNamingTheKey() {
    assertThatThrownBy(() -> CxConfig.load(Optional.empty(), Map.of("ingest.sesion-gap-minutes", "10")))
        .as("typo in a key")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot load configuration: unknown key ingest.sesion-gap-minutes");
  }

  @Test
  void columnMappingMustNameAContractColumn(@TempDir Path dir) throws Exception {
    File file = dir.resolve("bad.conf").toFile();
    Files.writeString(file.toPath(), "sources.transactions.columns { order_time = \"InvoiceDate\" }\n");
    assertThatThrownBy(() -> CxConfig.load(Optional.of(file), Map.of()))
        .as("mapping of a non-contract column")
        .hasMessageContaining("unknown key sources.transactions.columns.order_time")
        .hasMessageContaining("bad.conf");
  }

  @Test
  void missingFileIsAnError() {
    assertThatThrownBy(() -> CxConfig.load(Optional.of(new File("/nonexistent/cx.conf")), Map.of()))
        .hasMessage("Cannot load configuration: file does not exist (/nonexistent/cx.conf)");
  }

  @Test
  void exampleFileInConfIsTheDocumentedDefaults() throws Exception {
    try (var in = CxConfig.class.getClassLoader().getResourceAsStream(CxConfig.DEFAULTS_RESOURCE)) {
      assertThat(Files.readString(Path.of("..", "conf", "cxlake.conf.example")))
          .as("conf/cxlake.conf.example is a copy of " + CxConfig.DEFAULTS_RESOURCE)
          .isEqualTo(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}

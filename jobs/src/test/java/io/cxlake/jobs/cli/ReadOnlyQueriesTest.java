package io.cxlake.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.testing.SparkExtension;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code cxlake sql} is read-only, decided from the parsed plan before anything runs. */
@ExtendWith(SparkExtension.class)
class ReadOnlyQueriesTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "INSERT INTO customer_360 SELECT * FROM customer_360",
      "INSERT OVERWRITE TABLE customer_360 SELECT * FROM customer_360",
      "DELETE FROM customer_360 WHERE customer_id = 'C1'",
      "UPDATE customer_360 SET country = 'x'",
      "MERGE INTO customer_360 t USING customer_360 s ON t.customer_id = s.customer_id WHEN MATCHED THEN DELETE",
      "DROP TABLE customer_360",
      "DROP VIEW customer_360",
      "CREATE TABLE t (a INT) USING delta",
      "CREATE TABLE t USING delta AS SELECT 1 AS a",
      "CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1",
      "ALTER TABLE customer_360 ADD COLUMNS (x INT)",
      "TRUNCATE TABLE customer_360",
      "VACUUM customer_360",
      "VACUUM '/tmp/warehouse/gold/customer_360' RETAIN 0 HOURS",
      "OPTIMIZE customer_360",
      "RESTORE TABLE customer_360 TO VERSION AS OF 1",
      "INSERT OVERWRITE DIRECTORY '/tmp/out' USING parquet SELECT * FROM customer_360",
      "CACHE TABLE customer_360",
      "SET spark.sql.shuffle.partitions = 1",
      "WITH c AS (SELECT 1 AS a) INSERT INTO customer_360 SELECT * FROM c"})
  void everyWriteIsRefusedBeforeItRuns(String statement, SparkSession spark) {
    assertThatThrownBy(() -> ReadOnlyQueries.check(spark, statement))
        .as(statement)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot run sql: it only reads the warehouse, and this statement changes it (")
        .hasMessageNotContaining("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT 1",
      "SELECT nps_class, count(*) FROM customer_360 GROUP BY 1 ORDER BY 2 DESC LIMIT 5",
      "WITH c AS (SELECT 1 AS delete) SELECT delete FROM c",
      "SELECT * FROM customer_360 a JOIN (SELECT customer_id FROM churn_scores) b USING (customer_id)",
      "SHOW TABLES",
      "SHOW COLUMNS IN customer_360",
      "DESCRIBE customer_360",
      "DESCRIBE HISTORY customer_360",
      "DESCRIBE DETAIL customer_360",
      "EXPLAIN SELECT 1",
      "VALUES (1), (2)"})
  void queriesAndDescriptionsPass(String statement, SparkSession spark) {
    assertThatCode(() -> ReadOnlyQueries.check(spark, statement)).as(statement).doesNotThrowAnyException();
  }

  @Test
  void aStatementThatDoesNotParseFailsOnOneLine(SparkSession spark) {
    assertThatThrownBy(() -> ReadOnlyQueries.check(spark, "SELEC 1"))
        .hasMessageStartingWith("Cannot run sql: the statement does not parse: ")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aFailedQueryPrintsItsReasonWithoutThePlan(@TempDir Path warehouse) {
    InProcessCli.Result r = InProcessCli.run("sql", "--warehouse", warehouse.toString(),
        "SELECT * FROM no_such_table");
    assertThat(r.code()).as("exit code").isEqualTo(1);
    assertThat(r.err().strip()).as("one line naming the table")
        .startsWith("sql: Cannot run sql: [TABLE_OR_VIEW_NOT_FOUND]")
        .contains("`no_such_table`")
        .doesNotContain("\n");
  }
}

package io.cxlake.jobs.cli;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;

/**
 * What {@code cxlake sql} lets through: queries and the commands that only describe the warehouse.
 * Decided from the statement's parsed plan (Spark's parser with the Delta extension) before
 * anything runs: Spark executes a command as soon as {@code spark.sql} returns, so a write must be
 * refused before that call, and a regex over the text cannot tell a column named {@code delete}
 * from a DELETE.
 */
final class ReadOnlyQueries {
  /**
   * Commands that read or describe and change nothing, by their plan class (Spark's and Delta's);
   * every other command (INSERT, DELETE, UPDATE, MERGE, CREATE, DROP, ALTER, VACUUM, OPTIMIZE,
   * RESTORE, INSERT OVERWRITE DIRECTORY, CACHE, SET ...) is refused.
   */
  private static final Set<String> DESCRIBING = Set.of(
      "ShowTables", "ShowTableExtended", "ShowViews", "ShowColumns", "ShowNamespaces", "ShowTableProperties",
      "ShowCreateTable", "ShowPartitions", "ShowFunctions", "ShowCatalogs", "DescribeRelation", "DescribeColumn",
      "DescribeFunction", "DescribeNamespace", "ExplainCommand", "DescribeDeltaHistory", "DescribeDeltaDetail",
      "DescribeDeltaHistoryCommand", "DescribeDeltaDetailCommand");

  private ReadOnlyQueries() {}

  /** Fails with a one-line message unless the statement is a query or a describing command. */
  static void check(SparkSession spark, String statement) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(statement);
    } catch (ParseException e) {
      throw new IllegalArgumentException("Cannot run sql: the statement does not parse: " + oneLine(e));
    }
    Deque<LogicalPlan> todo = new ArrayDeque<>();
    todo.push(plan);
    while (!todo.isEmpty()) {
      LogicalPlan node = todo.pop();
      if (writes(node) && !DESCRIBING.contains(node.getClass().getSimpleName())) {
        throw new IllegalArgumentException("Cannot run sql: it only reads the warehouse, and this statement "
            + "changes it (" + node.nodeName() + "); the jobs write the tables");
      }
      scala.jdk.javaapi.CollectionConverters.asJava(node.children()).forEach(todo::push);
    }
  }

  /**
   * Whether a parsed node does more than read: a command, or a statement Spark resolves into one
   * (INSERT is parsed as InsertIntoStatement, INSERT OVERWRITE DIRECTORY as InsertIntoDir, Delta's
   * RESTORE as RestoreTableStatement; none of them is a Command before analysis).
   */
  private static boolean writes(LogicalPlan node) {
    return node instanceof Command || node instanceof ParsedStatement || node instanceof InsertIntoDir
        || node.getClass().getSimpleName().endsWith("Statement");
  }

  /**
   * The reason a statement failed, on one line: Spark's analysis errors end with the whole
   * logical plan, and parse errors with the statement drawn out over several lines.
   */
  static String oneLine(Exception e) {
    String message = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
    String first = message.strip().lines().findFirst().orElse("");
    return first.isEmpty() ? e.getClass().getSimpleName() : first;
  }
}

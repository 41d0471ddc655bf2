package io.cxlake.common.privacy;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Suppression;
import io.cxlake.common.schema.Suppression.KeyType;
import io.cxlake.common.schema.WebEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Matching rows against the suppression list of erased customers: which columns of a source
 * identify a person, and their keyed hashes as the list stores them.
 */
public final class Suppressions {
  /** Added column: true on a row that identifies an erased customer. */
  public static final String SUPPRESSED = "_suppressed";

  private Suppressions() {}

  /** The columns of a source that identify a person, by the key type they are listed under. */
  public static Map<KeyType, String> identifierColumns(SourceContract source) {
    Map<KeyType, String> columns = new LinkedHashMap<>();
    if (source.name().equals(Customers.CONTRACT.name())) {
      columns.put(KeyType.CUSTOMER_ID, Customers.CUSTOMER_ID);
      columns.put(KeyType.EMAIL, Customers.EMAIL);
      columns.put(KeyType.PHONE, Customers.PHONE);
      return columns;
    }
    source.customerColumn().ifPresent(c -> columns.put(KeyType.CUSTOMER_ID, c));
    if (source.name().equals(WebEvents.CONTRACT.name())) {
      columns.put(KeyType.ANONYMOUS_ID, WebEvents.ANONYMOUS_ID);
    }
    return columns;
  }

  /** The suppression rows ({@code key_type}, {@code key_hash}) of the non-blank values of one column. */
  public static Dataset<Row> keys(Dataset<Row> rows, KeyType type, String column, String secret) {
    Column value = col(column);
    return rows.filter(value.isNotNull().and(trim(value).notEqual("")))
        .select(lit(type.value()).as(Suppression.KEY_TYPE),
            Pseudonyms.identifierKey(value, secret).as(Suppression.KEY_HASH))
        .distinct();
  }

  /**
   * Adds {@link #SUPPRESSED}: whether any identifier column of the row (as the source's contract
   * names them) matches a key of the suppression list. The list is small, so it is broadcast.
   */
  public static Dataset<Row> flag(Dataset<Row> rows, SourceContract source, Dataset<Row> suppression, String secret) {
    Dataset<Row> out = rows;
    Column hit = lit(false);
    for (Map.Entry<KeyType, String> e : identifierColumns(source).entrySet()) {
      String match = "_suppressed_" + e.getKey().value();
      Dataset<Row> listed = suppression.filter(col(Suppression.KEY_TYPE).equalTo(e.getKey().value()))
          .select(col(Suppression.KEY_HASH).as(match)).distinct();
      out = out.join(broadcast(listed), Pseudonyms.identifierKey(col(e.getValue()), secret).equalTo(col(match)), "left");
      hit = hit.or(col(match).isNotNull());
    }
    out = out.withColumn(SUPPRESSED, hit);
    for (KeyType t : identifierColumns(source).keySet()) {
      out = out.drop("_suppressed_" + t.value());
    }
    return out;
  }
}

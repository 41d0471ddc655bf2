package io.cxlake.jobs.imports;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes the UCI Online Retail dataset (a UK online retailer's invoice lines, Dec 2010 to Dec 2011;
 * Chen, Sain &amp; Guo 2012) as a contract landing zone with customers and transactions, applying
 * the usual cleaning: keep lines with a customer id, quantity &gt; 0 and unit price &gt; 0 that are
 * not on a cancellation invoice (InvoiceNo starting with C). Every dropped line is counted under
 * the first rule it breaks, and the counts are returned, so nothing is dropped silently. A line
 * whose quantity, price or date cannot be parsed is not judged here: it goes to the landing zone
 * and ingest quarantines it.
 *
 * <p>Mapping: one transaction per kept line, transaction_id = InvoiceNo + "-" + the line's
 * position in the file (the file has identical duplicate lines, which stay distinct lines),
 * order_id = InvoiceNo, customer_id = CustomerID without its ".0" suffix, order_ts = InvoiceDate
 * (UTC), product_id = StockCode, quantity, unit_price, currency GBP, channel web (a non-store
 * online retailer), status completed; no category (the data has none). customers gets each
 * customer's first kept line: its time as signup_ts and its Country as country.
 */
public final class OnlineRetailImport {
  /** Drop reasons, in the order the rules are checked. */
  public static final String MISSING_CUSTOMER_ID = "MISSING_CUSTOMER_ID";
  public static final String CANCELLED_INVOICE = "CANCELLED_INVOICE";
  public static final String NON_POSITIVE_QUANTITY = "NON_POSITIVE_QUANTITY";
  public static final String NON_POSITIVE_UNIT_PRICE = "NON_POSITIVE_UNIT_PRICE";
  /** Every drop reason, in the order the rules are checked. */
  public static final List<String> REASONS =
      List.of(MISSING_CUSTOMER_ID, CANCELLED_INVOICE, NON_POSITIVE_QUANTITY, NON_POSITIVE_UNIT_PRICE);

  /** The source columns the import reads. */
  public static final List<String> SOURCE_COLUMNS = List.of(
      "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country");

  private static final String LINE_NO = "_line_no";
  private static final String REASON = "_reason";
  private static final String TIMESTAMP_PATTERN = "yyyy-MM-dd HH:mm:ss";
  private static final java.sql.Timestamp LAST = java.sql.Timestamp.valueOf("9999-12-31 00:00:00");

  /**
   * What the import did.
   *
   * @param rowsRead data lines in the source
   * @param rowsKept lines written as transactions
   * @param dropped lines dropped per reason (every reason present, 0 when none)
   */
  public record Result(long rowsRead, long rowsKept, Map<String, Long> dropped) {
    public Result {
      dropped = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dropped));
    }
  }

  private OnlineRetailImport() {}

  /** Imports the file into {@code <landing>/customers} and {@code <landing>/transactions}. */
  public static Result run(SparkSession spark, String source, String landing) {
    Dataset<Row> lines = numberedLines(spark, source).withColumn(REASON, dropReason())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> dropped = new LinkedHashMap<>();
      REASONS.forEach(r -> dropped.put(r, 0L));
      long read = 0;
      long kept = 0;
      // At most one row per reason plus the kept lines.
      for (Row r : lines.groupBy(col(REASON)).agg(count(lit(1))).collectAsList()) {
        read += r.getLong(1);
        if (r.isNullAt(0)) {
          kept = r.getLong(1);
        } else {
          dropped.put(r.getString(0), r.getLong(1));
        }
      }
      Dataset<Row> keptLines = lines.filter(col(REASON).isNull());
      toTransactions(keptLines).coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
          .csv(landing + "/" + Transactions.CONTRACT.name());
      toCustomers(keptLines).coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
          .csv(landing + "/" + Customers.CONTRACT.name());
      return new Result(read, kept, dropped);
    } finally {
      lines.unpersist();
    }
  }

  /** The file's lines as text columns with their position, so ids follow the file order on every run. */
  static Dataset<Row> numberedLines(SparkSession spark, String source) {
    Dataset<Row> raw = spark.read().option("header", "true").option("inferSchema", "false").csv(source);
    List<String> present = List.of(raw.columns());
    for (String c : SOURCE_COLUMNS) {
      if (!present.contains(c)) {
        throw new IllegalArgumentException("Cannot import online-retail: the source has no column " + c
            + " (" + source + ")");
      }
    }
    Dataset<Row> selected = raw.select(SOURCE_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    StructType schema = selected.schema().add(LINE_NO, DataTypes.LongType);
    var rdd = selected.javaRDD().zipWithIndex().map(t -> {
      Object[] values = new Object[t._1().length() + 1];
      for (int i = 0; i < t._1().length(); i++) {
        values[i] = t._1().get(i);
      }
      values[values.length - 1] = t._2();
      return RowFactory.create(values);
    });
    return spark.createDataFrame(rdd, schema);
  }

  /** The first cleaning rule a line breaks, null when it is kept. */
  static Column dropReason() {
    Column customer = trim(col("CustomerID"));
    Column quantity = col("Quantity").try_cast(DataTypes.IntegerType);
    Column price = col("UnitPrice").try_cast(DataTypes.DoubleType);
    return when(customer.isNull().or(customer.equalTo("")), lit(MISSING_CUSTOMER_ID))
        .when(trim(col("InvoiceNo")).startsWith("C"), lit(CANCELLED_INVOICE))
        .when(quantity.leq(0), lit(NON_POSITIVE_QUANTITY))
        .when(price.leq(0), lit(NON_POSITIVE_UNIT_PRICE));
  }

  private static Column customerId() {
    return regexp_replace(trim(col("CustomerID")), "\\.0+$", "");
  }

  /** Kept lines as contract transactions (all columns as text). */
  static Dataset<Row> toTransactions(Dataset<Row> kept) {
    Column invoice = trim(col("InvoiceNo"));
    return kept.select(
        concat(invoice, lit("-"), col(LINE_NO).cast(DataTypes.StringType)).as(Transactions.TRANSACTION_ID),
        invoice.as(Transactions.ORDER_ID),
        customerId().as(Transactions.CUSTOMER_ID),
        col("InvoiceDate").as(Transactions.ORDER_TS),
        trim(col("StockCode")).as(Transactions.PRODUCT_ID),
        col("Quantity").as(Transactions.QUANTITY),
        col("UnitPrice").as(Transactions.UNIT_PRICE),
        lit("GBP").as(Transactions.CURRENCY),
        lit("web").as(Transactions.CHANNEL),
        lit(Transactions.STATUS_COMPLETED).as(Transactions.STATUS));
  }

  /** One customer per id: the time and country of their first kept line (file order breaks ties). */
  static Dataset<Row> toCustomers(Dataset<Row> kept) {
    Column first = min(struct(
        // An unparsable date must not make the line first: ingest quarantines such lines.
        coalesce(try_to_timestamp(col("InvoiceDate"), lit(TIMESTAMP_PATTERN)), lit(LAST)).as("ts"),
        col(LINE_NO).as("line"),
        col("InvoiceDate").as("date"),
        col("Country").as("country")));
    return kept.groupBy(customerId().as(Customers.CUSTOMER_ID))
        .agg(first.as("_first"))
        .select(
            col(Customers.CUSTOMER_ID),
            col("_first").getField("date").as(Customers.SIGNUP_TS),
            col("_first").getField("country").as(Customers.COUNTRY));
  }
}

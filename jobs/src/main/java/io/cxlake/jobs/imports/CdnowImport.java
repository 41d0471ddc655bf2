package io.cxlake.jobs.imports;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Transactions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the CDNOW purchase log (Fader &amp; Hardie's public BTYD benchmark) as a contract landing
 * zone, so the real data runs through the normal ingest and CLV path. Reads both layouts:
 * {@code CDNOW_master.txt} (header; customer, date, CDs, dollars) and {@code CDNOW_sample.txt}
 * (no header; master id, sample id, date, CDs, dollars), whitespace-separated with CRLF endings.
 *
 * <p>Each line becomes one order of one line: customer_id is the sample id for the sample file
 * (the id of the published summaries) and the master id otherwise; order_ts is the purchase day at
 * midnight UTC; quantity is the number of CDs and unit_price the dollar value divided by it (to 6
 * decimals, so net amounts equal the dollar value to within 1e-5). customers gets each customer's
 * first purchase day as signup_ts. Lines are kept in file order; nothing is filtered except the
 * master file's header, so a malformed line reaches ingest and its quarantine.
 */
public final class CdnowImport {
  private static final String LINE = "line";
  private static final String LINE_NO = "line_no";

  private CdnowImport() {}

  /** Imports the file into {@code <landing>/customers} and {@code <landing>/transactions}. */
  public static void run(SparkSession spark, String source, String landing) {
    Dataset<Row> transactions = toTransactions(numberedLines(spark, source));
    transactions.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
        .csv(landing + "/" + Transactions.CONTRACT.name());
    transactions.groupBy(col(Transactions.CUSTOMER_ID).as(Customers.CUSTOMER_ID))
        .agg(min(col(Transactions.ORDER_TS)).as(Customers.SIGNUP_TS))
        .coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true")
        .csv(landing + "/" + Customers.CONTRACT.name());
  }

  /** The file's lines with their position, so transaction ids follow the file order on every run. */
  static Dataset<Row> numberedLines(SparkSession spark, String source) {
    StructType schema = new StructType().add(LINE, DataTypes.StringType).add(LINE_NO, DataTypes.LongType);
    var rdd = spark.read().text(source).javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._1().getString(0), t._2()));
    return spark.createDataFrame(rdd, schema)
        .filter(trim(col(LINE)).notEqual(""))
        // The master file's header is the only line whose first field is not a number.
        .filter(col(LINE_NO).gt(0).or(trim(col(LINE)).rlike("^[0-9]")));
  }

  /** Pure mapping from numbered lines to contract transactions (all columns as text). */
  static Dataset<Row> toTransactions(Dataset<Row> lines) {
    Column f = split(trim(col(LINE)), "\\s+");
    Column sample = size(f).equalTo(5);
    Column customer = when(sample, element_at(f, 2)).otherwise(element_at(f, 1));
    Column date = when(sample, element_at(f, 3)).otherwise(element_at(f, 2));
    Column cds = when(sample, element_at(f, 4)).otherwise(element_at(f, 3));
    Column dollars = when(sample, element_at(f, 5)).otherwise(element_at(f, 4));
    Column id = concat(lit("cdnow-"), col(LINE_NO).cast(DataTypes.StringType));
    Column orderTs = concat(substring(date, 1, 4), lit("-"), substring(date, 5, 2), lit("-"), substring(date, 7, 2),
        lit(" 00:00:00"));
    Column unitPrice = format_string("%.6f",
        dollars.try_cast(DataTypes.DoubleType).divide(cds.try_cast(DataTypes.DoubleType)));
    return lines.select(
        id.as(Transactions.TRANSACTION_ID),
        id.as(Transactions.ORDER_ID),
        customer.as(Transactions.CUSTOMER_ID),
        when(date.rlike("^[0-9]{8}$"), orderTs).otherwise(date).as(Transactions.ORDER_TS),
        lit("cd").as(Transactions.PRODUCT_ID),
        lit("music").as(Transactions.CATEGORY),
        cds.as(Transactions.QUANTITY),
        when(cds.try_cast(DataTypes.DoubleType).gt(0), unitPrice).otherwise(dollars).as(Transactions.UNIT_PRICE),
        lit("USD").as(Transactions.CURRENCY),
        lit(Transactions.STATUS_COMPLETED).as(Transactions.STATUS));
  }
}

package io.cxlake.common.schema;

import static io.cxlake.common.schema.Fields.field;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.raise_error;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/** The transactions source: one row per order line. Required in every landing zone. */
public final class Transactions {
  public static final String TRANSACTION_ID = "transaction_id";
  public static final String ORDER_ID = "order_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String ORDER_TS = "order_ts";
  public static final String PRODUCT_ID = "product_id";
  public static final String CATEGORY = "category";
  public static final String QUANTITY = "quantity";
  public static final String UNIT_PRICE = "unit_price";
  public static final String DISCOUNT = "discount";
  public static final String CURRENCY = "currency";
  public static final String CHANNEL = "channel";
  public static final String STATUS = "status";
  /** Derived at ingest: quantity x unit_price - discount. */
  public static final String NET_AMOUNT = "net_amount";

  public static final String STATUS_COMPLETED = "completed";
  public static final String STATUS_RETURNED = "returned";
  public static final String STATUS_CANCELLED = "cancelled";

  public static final SourceContract CONTRACT = new SourceContract(
      "transactions",
      new SourceContract.Columns()
          .string(TRANSACTION_ID, ORDER_ID, CUSTOMER_ID).timestamp(ORDER_TS)
          .string(PRODUCT_ID, CATEGORY).integer(QUANTITY).decimal(UNIT_PRICE, DISCOUNT)
          .string(CURRENCY, CHANNEL, STATUS).timestamp(SilverHistory.UPDATED_TS).build(),
      List.of(TRANSACTION_ID, ORDER_ID, CUSTOMER_ID, ORDER_TS, QUANTITY, UNIT_PRICE),
      TRANSACTION_ID,
      Optional.of(ORDER_TS),
      Optional.of(CUSTOMER_ID),
      Set.of(),
      Map.of(
          CHANNEL, Set.of("web", "app", "store", "phone"),
          STATUS, Set.of(STATUS_COMPLETED, STATUS_RETURNED, STATUS_CANCELLED)));

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.ofEntries(
          Map.entry(TRANSACTION_ID, "Order line identifier (unique)."),
          Map.entry(ORDER_ID, "Order the line belongs to."),
          Map.entry(CUSTOMER_ID, "Customer who placed the order."),
          Map.entry(ORDER_TS, "When the order was placed (UTC)."),
          Map.entry(PRODUCT_ID, "Product bought."),
          Map.entry(CATEGORY, "Product category."),
          Map.entry(QUANTITY, "Units on the line."),
          Map.entry(UNIT_PRICE, "Price per unit paid, before the line discount."),
          Map.entry(DISCOUNT, "Discount amount on the line (money, not a rate); 0 when absent."),
          Map.entry(CURRENCY, "Currency code of the amounts."),
          Map.entry(CHANNEL, "Sales channel: web, app, store or phone."),
          Map.entry(STATUS, "completed, returned or cancelled; completed when absent.")),
      List.of(field(NET_AMOUNT, DataTypes.DoubleType,
          "quantity x unit_price - discount: what the line earned.")),
      "Cleaned order lines from the landing zone, one row per transaction_id.");

  private Transactions() {}

  /**
   * The one definition of a completed order line: status {@code completed}, or no status (the
   * contract's default). Returned and cancelled lines are not sales.
   */
  public static Column completed() {
    return isCompleted(col(STATUS));
  }

  /** {@link #completed()} on another status column (e.g. the value parsed at ingest). */
  public static Column isCompleted(Column status) {
    return coalesce(status, lit(STATUS_COMPLETED)).equalTo(STATUS_COMPLETED);
  }

  /**
   * {@link #NET_AMOUNT} for a job that adds money up: the value, or a failure of the query naming
   * the order line when it is NaN or infinite. Ingest quarantines such lines, so one can only come
   * from a table written another way; a sum over it would write NaN into every total downstream.
   * Checked while the rows are aggregated, so it costs no extra pass.
   */
  public static Column netAmount() {
    Column amount = col(NET_AMOUNT);
    return when(isnan(amount).or(abs(amount).equalTo(Double.POSITIVE_INFINITY)),
        raise_error(concat(lit("Cannot add up transactions." + NET_AMOUNT + ": it is not a finite number in order line "),
            coalesce(col(TRANSACTION_ID), lit("?")), lit(" (NaN or Infinity); re-ingest, which quarantines such lines"))))
        .otherwise(amount);
  }
}

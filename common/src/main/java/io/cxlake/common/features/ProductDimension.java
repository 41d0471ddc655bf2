package io.cxlake.common.features;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.spark.Joins;
import io.cxlake.common.time.AsOf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The product dimension every job describes products with, point-in-time: one row per product of
 * the catalogue or sold before the cut-off. The catalogue wins where it has a value; a product only
 * seen in sales takes the category of its latest line and, as its price, the mean unit price of its
 * completed lines.
 */
public final class ProductDimension {
  public static final String PRODUCT_ID = "product_id";
  /** The catalogue's name, null for a product only seen in sales. */
  public static final String PRODUCT_NAME = "product_name";
  public static final String CATEGORY = "category";
  /** The catalogue's list price, else the mean unit price of completed sales before the cut-off. */
  public static final String PRICE = "price";

  private ProductDimension() {}

  /**
   * {@code product_id, product_name, category, price}.
   *
   * @param catalogue silver products (empty when the landing zone has none)
   * @param transactions silver transactions
   */
  public static Dataset<Row> of(Dataset<Row> catalogue, Dataset<Row> transactions, AsOf asOf) {
    Dataset<Row> sold = transactions.filter(asOf.visible(col(Transactions.ORDER_TS))
            .and(col(Transactions.PRODUCT_ID).isNotNull()))
        .groupBy(col(Transactions.PRODUCT_ID).as(PRODUCT_ID))
        .agg(max_by(col(Transactions.CATEGORY), col(Transactions.ORDER_TS)).as("_sold_category"),
            avg(when(Transactions.completed(), col(Transactions.UNIT_PRICE))).as("_sold_price"));
    Dataset<Row> listed = catalogue.select(col(Products.PRODUCT_ID).as(PRODUCT_ID), col(Products.NAME).as(PRODUCT_NAME),
        col(Products.CATEGORY).as("_listed_category"), col(Products.PRICE).as("_listed_price"));
    return sold.join(listed, Joins.on(PRODUCT_ID), "full_outer").select(col(PRODUCT_ID), col(PRODUCT_NAME),
        coalesce(col("_listed_category"), col("_sold_category")).as(CATEGORY),
        coalesce(col("_listed_price"), col("_sold_price")).as(PRICE));
  }
}

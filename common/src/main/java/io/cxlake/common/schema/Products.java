package io.cxlake.common.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The products source: the catalogue. */
public final class Products {
  public static final String PRODUCT_ID = "product_id";
  public static final String NAME = "name";
  public static final String CATEGORY = "category";
  public static final String PRICE = "price";

  public static final SourceContract CONTRACT = new SourceContract(
      "products",
      new SourceContract.Columns().string(PRODUCT_ID, NAME, CATEGORY).decimal(PRICE)
          .timestamp(SilverHistory.UPDATED_TS).build(),
      List.of(PRODUCT_ID),
      PRODUCT_ID,
      Optional.empty(),
      Optional.empty(),
      Set.of(),
      Map.of());

  public static final TableSpec TABLE = SilverTables.of(
      CONTRACT,
      Map.of(
          PRODUCT_ID, "Product identifier (unique).",
          NAME, "Product name.",
          CATEGORY, "Product category.",
          PRICE, "List price."),
      List.of(),
      "Cleaned product catalogue from the landing zone, one row per product_id.");

  private Products() {}
}

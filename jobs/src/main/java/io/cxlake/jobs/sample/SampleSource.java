package io.cxlake.jobs.sample;

import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The landing sources the generator writes, with their contract and file format. A landing row is
 * a {@code String[]} in contract column order, exactly as it lands in the file.
 */
enum SampleSource {
  CUSTOMERS(Customers.CONTRACT, false),
  PRODUCTS(Products.CONTRACT, false),
  TRANSACTIONS(Transactions.CONTRACT, false),
  SUPPORT_TICKETS(SupportTickets.CONTRACT, false),
  WEB_EVENTS(WebEvents.CONTRACT, true),
  SURVEYS(Surveys.CONTRACT, false);

  /** Sources simulated per customer on the executors (products come from the driver's catalogue). */
  static final List<SampleSource> PER_CUSTOMER = List.of(CUSTOMERS, TRANSACTIONS, SUPPORT_TICKETS, WEB_EVENTS, SURVEYS);

  private final SourceContract contract;
  private final boolean jsonLines;
  private final Map<String, Integer> positions = new HashMap<>();
  private final StructType landingSchema;

  SampleSource(SourceContract contract, boolean jsonLines) {
    this.contract = contract;
    this.jsonLines = jsonLines;
    List<String> names = contract.columnNames();
    StructField[] fields = new StructField[names.size()];
    for (int i = 0; i < names.size(); i++) {
      positions.put(names.get(i), i);
      // Landing files hold text; typing the values is ingest's job, and its quarantine's.
      fields[i] = DataTypes.createStructField(names.get(i), DataTypes.StringType, true);
    }
    this.landingSchema = new StructType(fields);
  }

  SourceContract contract() {
    return contract;
  }

  /** The contract name, which is also the landing folder. */
  String sourceName() {
    return contract.name();
  }

  /** JSON lines when true, CSV with a header otherwise. */
  boolean jsonLines() {
    return jsonLines;
  }

  /** Every contract column as a nullable string, in contract order. */
  StructType landingSchema() {
    return landingSchema;
  }

  /** Index of a contract column in a landing row. */
  int position(String column) {
    Integer p = positions.get(column);
    if (p == null) {
      throw new IllegalArgumentException(
          "Cannot generate sample: column is not in the " + sourceName() + " contract (" + column + ")");
    }
    return p;
  }

  /** An empty landing row. */
  String[] newRow() {
    return new String[positions.size()];
  }
}

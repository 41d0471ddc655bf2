package io.cxlake.common.quality;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.cxlake.common.privacy.Pseudonyms;
import io.cxlake.common.schema.Products;
import io.cxlake.common.schema.Quarantine.Reason;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Checks landing rows against their source contract. Pure transformations: a frame of raw string
 * columns in, the same rows out with typed contract columns plus {@link #REASON_CODE} and
 * {@link #REASON} (null on a clean row). Rules are checked in the order of {@link Reason}; a row
 * carries the first rule it breaks. Nothing is filtered here, so every row is accounted for.
 */
public final class ContractValidation {
  /** Added column: the reason code of the first broken rule, null on a clean row. */
  public static final String REASON_CODE = "_reason_code";
  /** Added column: the human-readable reason, naming column and value. */
  public static final String REASON = "_reason";
  /** Input column: the landing file of the row. */
  public static final String SOURCE_FILE = "_source_file";
  /**
   * Input column: the raw record as a struct of the export columns, PII already masked (see
   * {@link #maskPii}). {@link #classify} turns it into JSON (or the unsplittable line's summary) on the rows
   * that broke a rule and null on the others; rows quarantined by the cross-row checks get their
   * contract columns as parsed instead.
   */
  public static final String RAW_RECORD = "_raw_record";
  /**
   * Input column, non-null when the CSV/JSON reader cannot split a line at all. Stored in the
   * quarantine as given, so the reader must put a masked summary of the line here, never its text
   * (which may hold an e-mail or phone in a field that cannot be located).
   */
  public static final String CORRUPT_RECORD = "_corrupt_record";
  /** Prefix of a masked PII value in the quarantine. */
  public static final String PII_PREFIX = "hmac:";
  /** Input column: the key value as found (before trimming), for the quarantine. */
  public static final String RAW_KEY = "_raw_key";

  private static final Set<String> TRUE_WORDS = Set.of("true", "t", "yes", "y", "1");
  private static final Set<String> FALSE_WORDS = Set.of("false", "f", "no", "n", "0");

  private ContractValidation() {}

  /** One rule: when {@code broken} holds, the row is quarantined with {@code code} and {@code detail}. */
  private record Rule(Reason code, Column broken, Column detail) {}

  /**
   * Parses every contract column and marks rows that break the contract.
   *
   * @param raw contract columns as strings (null when absent), plus {@link #SOURCE_FILE} and
   *     optionally {@link #RAW_RECORD} and {@link #CORRUPT_RECORD}
   * @param contract the source's contract
   * @param now wall-clock time of the ingest: later timestamps are impossible
   * @param timestampFormat Spark datetime pattern of the source's timestamps, or empty for ISO
   * @param maxValues largest plausible value of numeric contract columns (e.g. unit_price); larger
   *     values are {@link Reason#INVALID_VALUE}
   */
  public static Dataset<Row> classify(Dataset<Row> raw, SourceContract contract, Instant now,
      Optional<String> timestampFormat, Map<String, Double> maxValues) {
    List<String> present = List.of(raw.columns());
    List<Rule> rules = new ArrayList<>();
    if (present.contains(CORRUPT_RECORD)) {
      rules.add(new Rule(Reason.UNPARSABLE, col(CORRUPT_RECORD).isNotNull(),
          lit("the record is malformed and cannot be split into columns")));
    }
    for (String c : contract.required()) {
      rules.add(new Rule(Reason.MISSING_REQUIRED, blank(col(c)),
          lit("required column '" + c + "' is empty")));
    }
    Dataset<Row> typed = raw;
    for (Map.Entry<String, DataType> e : contract.columns().entrySet()) {
      String c = e.getKey();
      Column parsed = parse(col(c), e.getValue(), timestampFormat);
      if (contract.domains().containsKey(c)) {
        // Categorical values are compared and stored lower-case, so 'Web' and 'web' are one channel.
        parsed = lower(parsed);
      }
      if (!e.getValue().equals(DataTypes.StringType)) {
        rules.add(new Rule(Reason.UNPARSABLE, blank(col(c)).unary_$bang().and(parsed.isNull()),
            concat(lit("column '" + c + "' cannot be parsed as " + e.getValue().simpleString() + " ('"),
                col(c), lit("')"))));
      }
      typed = typed.withColumn(parsedName(c), parsed);
    }
    rules.addAll(domainRules(contract));
    rules.addAll(plausibilityRules(contract, maxValues));
    rules.addAll(sourceRules(contract));
    Column future = lit(Timestamp.from(now));
    contract.columns().forEach((c, type) -> {
      if (type.equals(DataTypes.TimestampType)) {
        rules.add(new Rule(Reason.FUTURE_TIMESTAMP, parsedCol(c).gt(future),
            concat(lit("column '" + c + "' is later than the ingest time " + now + " ('"), col(c), lit("')"))));
      }
    });

    Column verdict = null;
    for (Rule r : rules) {
      Column hit = coalesce(r.broken(), lit(false));
      Column value = struct(lit(r.code().name()).as("code"), r.detail().as("detail"));
      verdict = verdict == null ? when(hit, value) : verdict.when(hit, value);
    }
    Dataset<Row> judged = typed
        .withColumn("_verdict", verdict)
        .withColumn(RAW_KEY, col(contract.key()));
    for (String c : contract.columnNames()) {
      judged = judged.withColumn(c, col(parsedName(c))).drop(parsedName(c));
    }
    judged = judged
        .withColumn(REASON_CODE, col("_verdict.code"))
        .withColumn(REASON, col("_verdict.detail"))
        .drop("_verdict");
    // The raw record is only ever read for quarantined rows: its JSON is built for them alone and
    // clean rows carry null through the shuffles of the cross-row checks, the cache and the merge.
    if (!present.contains(RAW_RECORD)) {
      return judged;
    }
    Column json = to_json(col(RAW_RECORD));
    if (present.contains(CORRUPT_RECORD)) {
      // A line the reader could not split keeps the reader's (masked) summary of what arrived.
      json = coalesce(col(CORRUPT_RECORD), json);
    }
    return judged.withColumn(RAW_RECORD, when(col(REASON_CODE).isNotNull(), json));
  }

  /**
   * A PII value replaced by {@code hmac:} and the keyed HMAC-SHA256 of its trimmed lower-case text,
   * so the quarantine never holds it, a list of addresses cannot be matched against it without the
   * secret, and erasure (which knows the secret) finds a person's rows by it.
   */
  public static Column maskPii(Column value, String secret) {
    return when(value.isNotNull(), concat(lit(PII_PREFIX), Pseudonyms.identifierKey(value, secret)));
  }

  /** The contract columns as parsed, as JSON with PII masked: the record of a row that broke no per-row rule. */
  private static Column parsedRecord(SourceContract contract, String secret) {
    Column[] fields = contract.columnNames().stream()
        .map(c -> (contract.piiColumns().contains(c) ? maskPii(col(c), secret) : col(c)).as(c))
        .toArray(Column[]::new);
    return to_json(struct(fields));
  }

  /**
   * Marks the second and later clean rows of a key as {@link Reason#DUPLICATE_KEY}. Which row
   * stays is deterministic: the latest {@code updated_ts} when the source has one, then the one
   * from the last file in path order, then the smallest contract values column by column (rows
   * equal in all of them load the same values), so reruns load the same row.
   */
  public static Dataset<Row> flagDuplicates(Dataset<Row> classified, SourceContract contract, String secret) {
    Column clean = col(REASON_CODE).isNull();
    List<Column> order = new ArrayList<>();
    if (contract.columns().containsKey(SilverHistory.UPDATED_TS)) {
      order.add(col(SilverHistory.UPDATED_TS).desc_nulls_last());
    }
    order.add(desc(SOURCE_FILE));
    contract.columnNames().forEach(c -> order.add(col(c)));
    var w = Window.partitionBy(col(contract.key()), clean).orderBy(order.toArray(Column[]::new));
    Column dup = clean.and(col(contract.key()).isNotNull()).and(row_number().over(w).gt(1));
    return flag(classified, contract, secret, dup, Reason.DUPLICATE_KEY, concat(lit("key " + contract.key() + " '"),
        col(contract.key()), lit("' appears more than once; the row from the last file was loaded"
            + (contract.columns().containsKey(SilverHistory.UPDATED_TS) ? " (the latest updated_ts first)" : ""))));
  }

  /**
   * Marks clean rows whose customer is not among {@code knownCustomerIds} (a one-column frame)
   * as {@link Reason#UNKNOWN_CUSTOMER}. A null customer (anonymous web events) is not checked.
   */
  public static Dataset<Row> flagUnknownCustomers(
      Dataset<Row> classified, SourceContract contract, Dataset<Row> knownCustomerIds, String secret) {
    String customer = contract.customerColumn().orElseThrow(() -> new IllegalArgumentException(
        "Cannot check customers of " + contract.name() + ": the source has no customer column"));
    Dataset<Row> known = knownCustomerIds.toDF("_known_customer").distinct();
    Column unknown = col(REASON_CODE).isNull().and(col(customer).isNotNull()).and(col("_known_customer").isNull());
    Dataset<Row> joined = classified.join(known, col(customer).equalTo(col("_known_customer")), "left");
    return flag(joined, contract, secret, unknown, Reason.UNKNOWN_CUSTOMER,
        concat(lit("customer_id '"), col(customer), lit("' is not in the customers source")))
        .drop("_known_customer");
  }

  /** Quarantines the clean rows where {@code hit} holds with a cross-row reason and their parsed record. */
  private static Dataset<Row> flag(Dataset<Row> rows, SourceContract contract, String secret, Column hit,
      Reason code, Column detail) {
    // hit is evaluated once into a column: a window function repeated in several withColumn calls
    // becomes one Window operator per call, each with its own shuffle and sort of every row.
    Column flagged = col("_flagged");
    Dataset<Row> out = rows.withColumn("_flagged", hit);
    if (List.of(rows.columns()).contains(RAW_RECORD)) {
      out = out.withColumn(RAW_RECORD, when(flagged, parsedRecord(contract, secret)).otherwise(col(RAW_RECORD)));
    }
    return out
        .withColumn(REASON, when(flagged, detail).otherwise(col(REASON)))
        .withColumn(REASON_CODE, when(flagged, lit(code.name())).otherwise(col(REASON_CODE)))
        .drop("_flagged");
  }

  private static String parsedName(String c) {
    return "_parsed_" + c;
  }

  private static Column parsedCol(String c) {
    return col(parsedName(c));
  }

  private static Column blank(Column c) {
    return c.isNull().or(trim(c).equalTo(""));
  }

  /** Blank is null for every type; strings are trimmed; numbers written as 3.0 are integers. */
  private static Column parse(Column c, DataType type, Optional<String> timestampFormat) {
    Column v = when(blank(c), lit(null)).otherwise(trim(c));
    if (type.equals(DataTypes.StringType)) {
      return v;
    }
    if (type.equals(DataTypes.TimestampType)) {
      return timestampFormat.map(f -> try_to_timestamp(v, lit(f))).orElseGet(() -> try_to_timestamp(v));
    }
    if (type.equals(DataTypes.IntegerType)) {
      Column d = v.try_cast(DataTypes.DoubleType);
      return when(d.equalTo(floor(d)).and(d.between(Integer.MIN_VALUE, Integer.MAX_VALUE)),
          d.cast(DataTypes.IntegerType));
    }
    if (type.equals(DataTypes.DoubleType)) {
      return v.try_cast(DataTypes.DoubleType);
    }
    if (type.equals(DataTypes.BooleanType)) {
      Column w = lower(v);
      return when(w.isin(TRUE_WORDS.toArray()), lit(true)).when(w.isin(FALSE_WORDS.toArray()), lit(false));
    }
    throw new IllegalArgumentException("Cannot parse contract column: unsupported type (" + type + ")");
  }

  private static List<Rule> domainRules(SourceContract contract) {
    List<Rule> rules = new ArrayList<>();
    contract.domains().forEach((c, allowed) -> {
      TreeSet<String> sorted = new TreeSet<>(allowed);
      rules.add(new Rule(Reason.INVALID_VALUE,
          parsedCol(c).isNotNull().and(parsedCol(c).isin(sorted.toArray()).unary_$bang()),
          concat(lit("column '" + c + "' has unknown value '"), parsedCol(c), lit("' (allowed: " + String.join(", ", sorted) + ")"))));
    });
    return rules;
  }

  /**
   * Non-finite numbers (NaN, Infinity, which Spark parses from text) and values above a column's
   * plausible maximum: one such cell would otherwise turn every sum and mean that touches it into
   * NaN or nonsense downstream.
   */
  private static List<Rule> plausibilityRules(SourceContract contract, Map<String, Double> maxValues) {
    List<Rule> rules = new ArrayList<>();
    contract.columns().forEach((c, type) -> {
      if (type.equals(DataTypes.DoubleType)) {
        rules.add(new Rule(Reason.INVALID_VALUE, isnan(parsedCol(c)).or(abs(parsedCol(c)).equalTo(Double.POSITIVE_INFINITY)),
            concat(lit("column '" + c + "' is not a finite number ('"), col(c), lit("')"))));
      }
      Double max = maxValues.get(c);
      if (max != null) {
        rules.add(new Rule(Reason.INVALID_VALUE, parsedCol(c).gt(max),
            concat(lit("column '" + c + "' is above its plausible maximum " + max + " ("), col(c), lit(")"))));
      }
    });
    return rules;
  }

  /** Rules particular to one source, in the order of {@link Reason}. */
  private static List<Rule> sourceRules(SourceContract contract) {
    List<Rule> rules = new ArrayList<>();
    switch (contract.name()) {
      case "transactions" -> {
        rules.add(negative(Transactions.UNIT_PRICE));
        rules.add(negative(Transactions.DISCOUNT));
        Column completed = Transactions.isCompleted(parsedCol(Transactions.STATUS));
        rules.add(new Rule(Reason.NEGATIVE_QUANTITY, completed.and(parsedCol(Transactions.QUANTITY).lt(0)),
            concat(lit("column 'quantity' is negative on a completed sale ("), col(Transactions.QUANTITY), lit(")"))));
      }
      case "products" -> rules.add(negative(Products.PRICE));
      case "support_tickets" -> {
        rules.add(negative(SupportTickets.CONTACTS));
        rules.add(scoreRange(SupportTickets.CSAT, parsedCol(SupportTickets.CSAT).between(1, 5), "1-5"));
      }
      case "surveys" -> {
        Column type = parsedCol(Surveys.SURVEY_TYPE);
        Column score = parsedCol(Surveys.SCORE);
        Column inRange = when(type.equalTo(Surveys.TYPE_NPS), score.between(0, 10))
            .when(type.equalTo(Surveys.TYPE_CSAT), score.between(1, 5));
        rules.add(new Rule(Reason.SCORE_OUT_OF_RANGE, score.isNotNull().and(inRange.unary_$bang()),
            concat(lit("column 'score' is out of range for survey_type '"), parsedCol(Surveys.SURVEY_TYPE),
                lit("' (nps 0-10, csat 1-5): "), col(Surveys.SCORE))));
      }
      default -> {
        // customers and web_events have no rules beyond their types and domains.
      }
    }
    return rules;
  }

  private static Rule negative(String c) {
    return new Rule(Reason.INVALID_VALUE, parsedCol(c).lt(0),
        concat(lit("column '" + c + "' is negative ("), col(c), lit(")")));
  }

  private static Rule scoreRange(String c, Column inRange, String range) {
    return new Rule(Reason.SCORE_OUT_OF_RANGE, parsedCol(c).isNotNull().and(inRange.unary_$bang()),
        concat(lit("column '" + c + "' is out of range " + range + " ("), col(c), lit(")")));
  }
}

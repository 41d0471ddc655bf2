package io.cxlake.jobs.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cxlake.common.catalog.JobInputs;
import io.cxlake.common.catalog.TableCatalog;
import io.cxlake.common.config.CxConfig;
import io.cxlake.common.delta.DeltaIO;
import io.cxlake.common.runlog.RunTracker.RunStats;
import io.cxlake.common.schema.Customers;
import io.cxlake.common.schema.Quarantine;
import io.cxlake.common.schema.SilverHistory;
import io.cxlake.common.schema.Sources;
import io.cxlake.common.schema.Surveys;
import io.cxlake.common.schema.SupportTickets;
import io.cxlake.common.schema.Transactions;
import io.cxlake.common.schema.WebEvents;
import io.cxlake.common.testing.DataFrameAssertions;
import io.cxlake.common.testing.SparkExtension;
import io.cxlake.common.time.AsOf;
import io.cxlake.common.time.PointInTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Ingest over real landing files and real Delta tables. */
@ExtendWith(SparkExtension.class)
class IngestJobTest {
  private static final AsOf AS_OF = AsOf.parse("2026-11-22");

  static IngestConfig config(Path landing, Path warehouse, Map<String, String> overrides) {
    return config(landing, warehouse, overrides, AS_OF);
  }

  static IngestConfig config(Path landing, Path warehouse, Map<String, String> overrides, AsOf asOf) {
    Map<String, String> conf = new LinkedHashMap<>(overrides);
    conf.put("ingest.now", "2026-12-31T00:00:00Z");
    // The fixture has more bad rows than good in several sources, one of every class.
    conf.putIfAbsent("ingest.max-quarantine-share", "1");
    return IngestConfig.from(CxConfig.load(Optional.empty(), conf), landing.toString(),
        new TableCatalog(warehouse.toString()), asOf);
  }

  private static List<Row> quarantine(SparkSession spark, Path warehouse) {
    return DeltaIO.read(spark, new TableCatalog(warehouse.toString()).path(Quarantine.TABLE))
        .orderBy(Quarantine.SOURCE, Quarantine.REASON_CODE, Quarantine.RECORD_KEY)
        .collectAsList();
  }

  @Test
  void everyBadRowClassIsQuarantinedWithItsReasonAndCountsReconcile(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    RunStats stats = IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");

    assertThat(quarantine(spark, warehouse))
        .as("quarantined rows: source, reason, key")
        .extracting(r -> tuple(r.getAs(Quarantine.SOURCE), r.getAs(Quarantine.REASON_CODE), r.getAs(Quarantine.RECORD_KEY)))
        .containsExactly(
            tuple("customers", "DUPLICATE_KEY", "C1"),
            tuple("customers", "MISSING_REQUIRED", null),
            tuple("customers", "UNPARSABLE", "C3"),
            tuple("support_tickets", "SCORE_OUT_OF_RANGE", "K2"),
            tuple("surveys", "INVALID_VALUE", "R4"),
            tuple("surveys", "SCORE_OUT_OF_RANGE", "R2"),
            tuple("surveys", "SCORE_OUT_OF_RANGE", "R3"),
            tuple("transactions", "DUPLICATE_KEY", "T1"),
            tuple("transactions", "FUTURE_TIMESTAMP", "T8"),
            tuple("transactions", "INVALID_VALUE", "T6"),
            tuple("transactions", "MISSING_REQUIRED", "T4"),
            tuple("transactions", "NEGATIVE_QUANTITY", "T7"),
            tuple("transactions", "UNKNOWN_CUSTOMER", "T9"),
            tuple("transactions", "UNPARSABLE", "T5"),
            tuple("web_events", "INVALID_VALUE", "E3"),
            tuple("web_events", "UNKNOWN_CUSTOMER", "E5"),
            tuple("web_events", "UNPARSABLE", null));

    assertThat(stats.details()).as("per-source reconciliation")
        .containsEntry("customers.rows_in", "5").containsEntry("customers.rows_loaded", "2")
        .containsEntry("customers.rows_quarantined", "3")
        .containsEntry("transactions.rows_in", "11").containsEntry("transactions.rows_loaded", "4")
        .containsEntry("transactions.rows_quarantined", "7")
        .containsEntry("web_events.rows_in", "5").containsEntry("web_events.rows_loaded", "2")
        .containsEntry("products.status", "absent");
    assertThat(stats.rowsIn()).as("rows_in = loaded + quarantined overall")
        .isEqualTo(stats.rowsOut() + stats.rowsQuarantined());

    Row reason = quarantine(spark, warehouse).stream()
        .filter(r -> "T5".equals(r.getAs(Quarantine.RECORD_KEY))).findFirst().orElseThrow();
    assertThat((String) reason.getAs(Quarantine.REASON)).as("reason names column and value")
        .isEqualTo("column 'quantity' cannot be parsed as int ('two')");
    assertThat((String) reason.getAs(Quarantine.SOURCE_FILE)).as("file of the row").endsWith("transactions/tx.csv");
    assertThat((String) reason.getAs(Quarantine.RAW_RECORD)).as("a row that broke a rule keeps its raw text")
        .contains("\"quantity\":\"two\"");
    Row duplicate = quarantine(spark, warehouse).stream()
        .filter(r -> "DUPLICATE_KEY".equals(r.getAs(Quarantine.REASON_CODE)) && "C1".equals(r.getAs(Quarantine.RECORD_KEY)))
        .findFirst().orElseThrow();
    assertThat((String) duplicate.getAs(Quarantine.RAW_RECORD)).as("PII is keyed-hashed in the quarantine")
        .doesNotContain("c1@example.com", "+49 1").contains("\"email\":\"hmac:");
    Row duplicateLine = quarantine(spark, warehouse).stream()
        .filter(r -> "DUPLICATE_KEY".equals(r.getAs(Quarantine.REASON_CODE)) && "T1".equals(r.getAs(Quarantine.RECORD_KEY)))
        .findFirst().orElseThrow();
    assertThat((String) duplicateLine.getAs(Quarantine.RAW_RECORD)).as("a duplicate shows its values as parsed")
        .contains("\"transaction_id\":\"T1\"", "\"quantity\":2", "\"unit_price\":10.5");
  }

  @Test
  void cleanRowsAreTypedNormalisedAndStitched(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    List<Row> tx = DeltaIO.read(spark, catalog.path(Transactions.TABLE)).orderBy(Transactions.TRANSACTION_ID).collectAsList();
    assertThat(tx).as("loaded lines, including a later-dated one (legitimate history)")
        .extracting(r -> r.getAs(Transactions.TRANSACTION_ID)).containsExactly("T1", "T10", "T2", "T3");
    Row t1 = tx.get(0);
    assertThat((String) t1.getAs(Transactions.CHANNEL)).as("categorical values lower-cased").isEqualTo("web");
    assertThat((double) t1.getAs(Transactions.NET_AMOUNT)).as("2 x 10.5 - 1").isEqualTo(20.0);
    Row t2 = tx.get(2);
    assertThat((String) t2.getAs(Transactions.STATUS)).as("status defaults to completed").isEqualTo("completed");
    assertThat((double) t2.getAs(Transactions.DISCOUNT)).as("discount defaults to 0").isZero();

    List<Row> customers = DeltaIO.read(spark, catalog.path(Customers.TABLE)).orderBy(Customers.CUSTOMER_ID).collectAsList();
    assertThat(customers).extracting(r -> r.getAs(Customers.MARKETING_OPT_IN)).as("booleans parsed").containsExactly(true, false);

    List<Row> web = DeltaIO.read(spark, catalog.path(WebEvents.TABLE)).orderBy(WebEvents.EVENT_ID).collectAsList();
    assertThat(web).extracting(r -> r.getAs(WebEvents.RESOLVED_CUSTOMER_ID)).as("anonymous view stitched to C1")
        .containsExactly("C1", "C1");
    assertThat(web).extracting(r -> r.getAs(WebEvents.SESSION_ID)).as("one derived session").doesNotContainNull()
        .containsOnly(web.get(0).<String>getAs(WebEvents.SESSION_ID));
    assertThat(DeltaIO.read(spark, catalog.path(Surveys.TABLE)).collectAsList())
        .extracting(r -> r.getAs(Surveys.COMMENT)).as("quoted comma").containsExactly("great, thanks");
    assertThat(DeltaIO.read(spark, catalog.path(SupportTickets.TABLE)).count()).as("tickets loaded").isEqualTo(1);
  }

  @Test
  void rerunForTheSameDateGivesTheSameTables(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");
    Dataset<Row> first = DeltaIO.read(spark, catalog.path(Transactions.TABLE));
    Dataset<Row> tx1 = spark.createDataFrame(first.collectAsList(), first.schema());
    long quarantined1 = DeltaIO.read(spark, catalog.path(Quarantine.TABLE)).count();

    IngestJob.run(spark, config(landing, warehouse, Map.of()).withFullRefresh(true), "run-2");
    DataFrameAssertions.assertSameRows(tx1, DeltaIO.read(spark, catalog.path(Transactions.TABLE)));
    assertThat(DeltaIO.read(spark, catalog.path(Quarantine.TABLE)).count())
        .as("quarantine of the date replaced, not appended").isEqualTo(quarantined1);
  }

  @Test
  void anUnchangedSourceIsNotReadAgainAndItsQuarantineIsCarriedToTheNextDay(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    RunStats first = IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");
    List<String> read = first.details().entrySet().stream()
        .filter(e -> e.getKey().endsWith(".status") && e.getValue().startsWith("read"))
        .map(e -> e.getKey().replace(".status", "")).sorted().toList();
    assertThat(read).as("the fixture's sources, read").contains("customers", "transactions", "web_events");
    Map<String, Long> versions = new LinkedHashMap<>();
    read.forEach(source -> versions.put(source, DeltaIO.version(spark, catalog.path(Sources.table(Sources.byName(source).orElseThrow())))));

    AsOf nextDay = AsOf.parse("2026-11-23");
    RunStats again = IngestJob.run(spark, config(landing, warehouse, Map.of(), nextDay), "run-2");
    read.forEach(source -> assertThat(again.details()).as(source)
        .containsEntry(source + ".status", "unchanged since 2026-11-22").doesNotContainKey(source + ".rows_in"));
    assertThat(again.rowsIn()).as("nothing read: the order line of 2099 stays in the future").isZero();
    assertThat(again.finding()).contains("unchanged since their last read, not read again: customers");
    read.forEach(source -> assertThat(DeltaIO.version(spark, catalog.path(Sources.table(Sources.byName(source).orElseThrow()))))
        .as(source + " not written")
        .isEqualTo(versions.get(source)));
    Dataset<Row> q = DeltaIO.read(spark, catalog.path(Quarantine.TABLE));
    Column sameRow = functions.concat_ws("|", col(Quarantine.SOURCE), col(Quarantine.REASON_CODE),
        col(Quarantine.RECORD_KEY), col(Quarantine.RAW_RECORD));
    Dataset<Row> nextSlice = q.filter(col(Quarantine.AS_OF_DATE).equalTo(nextDay.dateLit()));
    assertThat(nextSlice.select(sameRow).as(Encoders.STRING()).collectAsList()).as("the next day's quarantine: the same rows")
        .containsExactlyInAnyOrderElementsOf(q.filter(col(Quarantine.AS_OF_DATE).equalTo(AS_OF.dateLit()))
            .select(sameRow).as(Encoders.STRING()).collectAsList())
        .isNotEmpty();
    assertThat(nextSlice.select(functions.concat_ws(" ", col(Quarantine.SOURCE), col(Quarantine.RUN_ID)))
        .distinct().as(Encoders.STRING()).collectAsList()).as("carried rows keep the run that judged them")
        .contains("customers run-1", "web_events run-1", "transactions run-1")
        .noneMatch(pair -> pair.endsWith("run-2"));

    // A new export of transactions: that source is read, the others (customers unchanged) are not.
    LandingFixture.write(landing, "transactions", "z-late.csv",
        "transaction_id,order_id,customer_id,order_ts,product_id,category,quantity,unit_price,discount,currency,"
            + "channel,status",
        "T900,O900,C1,2026-11-01 10:00:00,P1,books,1,10,0,EUR,web,completed");
    RunStats newFile = IngestJob.run(spark, config(landing, warehouse, Map.of(), nextDay), "run-3");
    assertThat(newFile.details()).containsEntry("transactions.status", "read (files added, changed or removed)")
        .containsEntry("customers.status", "unchanged since 2026-11-22")
        .containsEntry("web_events.status", "unchanged since 2026-11-22");
    assertThat(DeltaIO.read(spark, catalog.path(Transactions.TABLE))
        .filter(col(Transactions.TRANSACTION_ID).equalTo("T900")).count()).isEqualTo(1);
  }

  @Test
  void missingRequiredColumnFailsNamingSourceFileAndColumn(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    LandingFixture.write(landing, "transactions", "tx.csv",
        "transaction_id,order_id,customer_id,product_id,quantity,unit_price",
        "T1,O1,C1,P1,1,10");
    assertThatThrownBy(() -> IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1"))
        .as("export without order_ts")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot ingest transactions: required column 'order_ts' is missing in file ")
        .hasMessageContaining("transactions/tx.csv");
  }

  @Test
  void missingMandatorySourceFailsNamingTheFolder(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.write(landing, "customers", "c.csv", "customer_id", "C1");
    assertThatThrownBy(() -> IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1"))
        .hasMessageStartingWith("Cannot ingest transactions: the source is required and has no data files")
        .hasMessageContaining("transactions");
  }

  @Test
  void mappedColumnsFormatsAndTimestampPatternsNeedNoCode(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.write(landing, "clients", "c.json",
        "{\"CustomerID\":\"17850.0\",\"Country\":\"United Kingdom\"}");
    LandingFixture.write(landing, "sales", "s.csv",
        "InvoiceNo;StockCode;Quantity;InvoiceDate;UnitPrice;CustomerID;Line",
        "536365;85123A;6;01/12/2010 08:26;2,55;17850.0;536365-1",
        "536366;71053;6;01/12/2010 08:28;3.39;17850.0;536366-1");
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("sources.customers.format", "json");
    conf.put("sources.customers.path", "clients");
    conf.put("sources.customers.columns.customer_id", "CustomerID");
    conf.put("sources.customers.columns.country", "Country");
    conf.put("sources.transactions.path", "sales");
    conf.put("sources.transactions.csv.delimiter", ";");
    conf.put("sources.transactions.timestamp-format", "dd/MM/yyyy HH:mm");
    conf.put("sources.transactions.columns.transaction_id", "Line");
    conf.put("sources.transactions.columns.order_id", "InvoiceNo");
    conf.put("sources.transactions.columns.customer_id", "CustomerID");
    conf.put("sources.transactions.columns.order_ts", "InvoiceDate");
    conf.put("sources.transactions.columns.product_id", "StockCode");
    conf.put("sources.transactions.columns.quantity", "Quantity");
    conf.put("sources.transactions.columns.unit_price", "UnitPrice");
    RunStats stats = IngestJob.run(spark, config(landing, warehouse, conf), "run-1");

    assertThat(stats.details()).as("one decimal comma quarantined, one row loaded")
        .containsEntry("transactions.rows_loaded", "1")
        .containsEntry("transactions.quarantined.UNPARSABLE", "1");
    Row loaded = DeltaIO.read(spark, new TableCatalog(warehouse.toString()).path(Transactions.TABLE)).first();
    assertThat(loaded.<Object>getAs(Transactions.ORDER_TS)).as("pattern-parsed timestamp")
        .isEqualTo(io.cxlake.common.testing.Fixtures.ts("2010-12-01T08:28:00"));
    assertThat((String) loaded.getAs(Transactions.CUSTOMER_ID)).as("mapped id").isEqualTo("17850.0");
  }

  @Test
  void aLineThatCannotBeSplitLeavesNoPersonalDataInTheQuarantine(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    LandingFixture.write(landing, "customers", "customers.csv",
        "customer_id,signup_ts,country,acquisition_channel,email,phone,marketing_opt_in",
        "C1,2026-01-01 10:00:00,DE,referral,c1@example.com,+49 1,true",
        "C2,2026-02-01 08:00:00,FR,social,c2@example.com,+33 777 1234,no,extra field");
    RunStats stats = IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");

    assertThat(stats.details()).containsEntry("customers.quarantined.UNPARSABLE", "1");
    Row line = quarantine(spark, warehouse).stream().filter(r -> "customers".equals(r.getAs(Quarantine.SOURCE)))
        .findFirst().orElseThrow();
    String record = line.getAs(Quarantine.RAW_RECORD);
    assertThat(record).as("an unsplittable line: no e-mail, phone or other field text")
        .doesNotContain("c2@example.com", "777", "extra field", "C2")
        .contains("\"field_count\":8", "\"header_field_count\":7", "\"line_length\":", "\"line_key\":\"hmac:");
  }

  @Test
  void nonFiniteAndImplausibleNumbersAreQuarantinedNotLoaded(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    String header = "transaction_id,order_id,customer_id,order_ts,product_id,category,quantity,unit_price,discount,"
        + "currency,channel,status";
    LandingFixture.write(landing, "transactions", "tx.csv", header,
        "T1,O1,C1,2026-03-01 10:00:00,P1,books,1,10.5,0,EUR,web,completed",
        "T2,O2,C1,2026-03-01 10:00:00,P1,books,1,NaN,0,EUR,web,completed",
        "T3,O3,C1,2026-03-01 10:00:00,P1,books,1,Infinity,0,EUR,web,completed",
        "T4,O4,C1,2026-03-01 10:00:00,P1,books,1,10.5,-Infinity,EUR,web,completed",
        "T5,O5,C1,2026-03-01 10:00:00,P1,books,1,2500000,0,EUR,web,completed",
        "T6,O6,C1,2026-03-01 10:00:00,P1,books,200000,1,0,EUR,web,completed");
    RunStats stats = IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");

    assertThat(stats.details()).as("NaN, +-Infinity and values above ingest.max-unit-price / max-quantity")
        .containsEntry("transactions.rows_loaded", "1")
        .containsEntry("transactions.quarantined.INVALID_VALUE", "5");
    assertThat(quarantine(spark, warehouse)).filteredOn(r -> "T2".equals(r.getAs(Quarantine.RECORD_KEY)))
        .extracting(r -> r.getAs(Quarantine.REASON)).containsExactly("column 'unit_price' is not a finite number ('NaN')");
    assertThat(quarantine(spark, warehouse)).filteredOn(r -> "T5".equals(r.getAs(Quarantine.RECORD_KEY)))
        .extracting(r -> (String) r.getAs(Quarantine.REASON)).singleElement().asString()
        .startsWith("column 'unit_price' is above its plausible maximum");
  }

  @Test
  void quotedFieldsFollowRfc4180AcrossLineBreaks(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    LandingFixture.write(landing, "surveys", "surveys.csv",
        "response_id,customer_id,response_ts,survey_type,score,touchpoint,ticket_id,comment",
        "R1,C1,2026-03-04 10:00:00,nps,9,relationship,,\"Fast delivery.",
        "The box was \"\"crushed\"\", though\"",
        "R2,C1,2026-03-05 10:00:00,nps,3,relationship,,plain");
    RunStats stats = IngestJob.run(spark, config(landing, warehouse, Map.of()), "run-1");

    assertThat(stats.details()).as("two responses, none cut at the line break")
        .containsEntry("surveys.rows_in", "2").containsEntry("surveys.rows_loaded", "2");
    assertThat(DeltaIO.read(spark, new TableCatalog(warehouse.toString()).path(Surveys.TABLE))
        .orderBy(Surveys.RESPONSE_ID).collectAsList()).extracting(r -> r.getAs(Surveys.COMMENT))
        .containsExactly("Fast delivery.\nThe box was \"crushed\", though", "plain");
  }

  @Test
  void encodingAndLateJsonKeysAreRead(SparkSession spark, @TempDir Path landing, @TempDir Path warehouse)
      throws IOException {
    LandingFixture.writeLanding(landing);
    Files.write(landing.resolve("surveys/surveys.csv"), String.join("\n",
        "response_id,customer_id,response_ts,survey_type,score,touchpoint,ticket_id,comment",
        "R1,C1,2026-03-04 10:00:00,nps,9,relationship,,très bien").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    // Writers omit null keys: customer_id first appears after the lines ingest samples for the header.
    List<String> events = new java.util.ArrayList<>();
    for (int i = 0; i < 1_100; i++) {
      events.add("{\"event_id\":\"E" + i + "\",\"event_ts\":\"2026-03-01 09:55:00\",\"event_type\":\"page_view\","
          + "\"anonymous_id\":\"A" + i + "\"}");
    }
    events.add("{\"event_id\":\"L1\",\"event_ts\":\"2026-03-01 09:55:00\",\"event_type\":\"page_view\","
        + "\"anonymous_id\":\"AL\",\"customer_id\":\"C1\"}");
    Files.write(landing.resolve("web_events/events.json"), events);
    IngestJob.run(spark, config(landing, warehouse, Map.of("sources.surveys.encoding", "ISO-8859-1")), "run-1");

    TableCatalog catalog = new TableCatalog(warehouse.toString());
    assertThat(DeltaIO.read(spark, catalog.path(Surveys.TABLE)).first().<String>getAs(Surveys.COMMENT))
        .as("ISO-8859-1 text").isEqualTo("très bien");
    assertThat(DeltaIO.read(spark, catalog.path(WebEvents.TABLE))
        .filter(org.apache.spark.sql.functions.col(WebEvents.EVENT_ID).equalTo("L1")).first()
        .<String>getAs(WebEvents.CUSTOMER_ID)).as("a contract key first seen late in the file").isEqualTo("C1");
  }

  @Test
  void aMostlyBrokenSourceFailsWithItsCountsAfterWritingItsQuarantine(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    LandingFixture.writeLanding(landing);
    assertThatThrownBy(() -> IngestJob.run(spark, config(landing, warehouse,
        Map.of("ingest.max-quarantine-share", "0.5")), "run-1"))
        .hasMessageStartingWith("Cannot ingest customers: 3 of 5 rows (60 %) broke the contract, more than "
            + "ingest.max-quarantine-share 0.5 allows");
    assertThat(quarantine(spark, warehouse)).as("the refused source's quarantine, to inspect").hasSize(3);
    assertThat(DeltaIO.exists(spark, new TableCatalog(warehouse.toString()).path(Customers.TABLE)))
        .as("nothing loaded").isFalse();
  }

  @Test
  void aChangedRowIsKeptAsAVersionValidFromItsUpdateTimeElseTheIngestDay(
      SparkSession spark, @TempDir Path landing, @TempDir Path warehouse) throws IOException {
    String customers = "customer_id,signup_ts,marketing_opt_in,updated_ts";
    String transactions = "transaction_id,order_id,customer_id,order_ts,product_id,quantity,unit_price,status";
    LandingFixture.write(landing, "customers", "c1.csv", customers, "C1,2026-01-01 10:00:00,true,",
        "C2,2026-01-01 10:00:00,true,");
    LandingFixture.write(landing, "transactions", "t1.csv", transactions,
        "T1,O1,C1,2026-11-01 10:00:00,P1,1,10,completed");
    AsOf day1 = AsOf.parse("2026-11-20");
    IngestJob.run(spark, config(landing, warehouse, Map.of(), day1), "run-1");
    // The next export: C1 opted out (the source says when), T1 was returned (it does not).
    LandingFixture.write(landing, "customers", "c2.csv", customers, "C1,2026-01-01 10:00:00,false,2026-11-21 08:00:00");
    LandingFixture.write(landing, "transactions", "t2.csv", transactions,
        "T1,O1,C1,2026-11-01 10:00:00,P1,1,10,returned");
    AsOf day2 = AsOf.parse("2026-11-22");
    TableCatalog catalog = new TableCatalog(warehouse.toString());
    for (String run : List.of("run-2", "run-2-again")) {
      RunStats stats = IngestJob.run(spark, config(landing, warehouse, Map.of(), day2).withFullRefresh(true), run);
      assertThat(stats.details()).as("the earlier export's row of a changed key is the duplicate")
          .containsEntry("customers.rows_loaded", "2").containsEntry("customers.quarantined.DUPLICATE_KEY", "1");
    }

    Dataset<Row> silverCustomers = DeltaIO.read(spark, catalog.path(Customers.TABLE));
    assertThat(silverCustomers.filter(col(Customers.CUSTOMER_ID).equalTo("C1")).orderBy(SilverHistory.VALID_TO)
        .collectAsList()).as("C1: the new version from updated_ts, the old one closed then; the rerun adds none")
        .extracting(r -> r.getAs(Customers.MARKETING_OPT_IN) + " " + r.getAs(SilverHistory.VALID_FROM) + " "
            + r.getAs(SilverHistory.VALID_TO))
        .containsExactly("false 2026-11-21 08:00:00.0 null", "true null 2026-11-21 08:00:00.0");
    assertThat(silverCustomers.count()).as("C2 unchanged: one version").isEqualTo(3);
    Dataset<Row> silverTx = DeltaIO.read(spark, catalog.path(Transactions.TABLE));
    assertThat(PointInTime.at(silverTx, AsOf.parse("2026-11-21")).collectAsList())
        .as("without updated_ts the change holds from the start of the ingest's as-of day: not on the day before")
        .singleElement().satisfies(r -> assertThat((String) r.getAs(Transactions.STATUS)).isEqualTo("completed"));
    assertThat(PointInTime.at(silverTx, day2).collectAsList()).singleElement()
        .satisfies(r -> assertThat((String) r.getAs(Transactions.STATUS)).isEqualTo("returned"));
    assertThat(new JobInputs(spark, catalog, "test").required(Transactions.TABLE).count())
        .as("a reader of current rows sees one per key").isEqualTo(1);
  }
}

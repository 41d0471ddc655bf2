package io.cxlake.jobs.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Landing files for ingest tests: every bad-row class next to clean rows. */
public final class LandingFixture {
  private LandingFixture() {}

  /** Writes one landing file. */
  public static void write(Path landing, String source, String file, String... lines) throws IOException {
    Path dir = Files.createDirectories(landing.resolve(source));
    Files.write(dir.resolve(file), List.of(lines));
  }

  /** A landing zone with one row of every bad-row class next to clean rows. */
  public static void writeLanding(Path landing) throws IOException {
    write(landing, "customers", "customers.csv",
        "customer_id,signup_ts,country,acquisition_channel,email,phone,marketing_opt_in",
        "C1,2026-01-01 10:00:00,DE,referral,c1@example.com,+49 1,true",
        "C2,2026-02-01T08:00:00Z,FR,social,,,no",
        ",2026-02-01 08:00:00,FR,social,nobody@example.com,,no",
        "C3,yesterday,FR,social,,,no",
        "C1,2026-01-01 10:00:00,DE,referral,c1@example.com,+49 1,true");
    write(landing, "transactions", "tx.csv",
        "transaction_id,order_id,customer_id,order_ts,product_id,category,quantity,unit_price,discount,currency,channel,status",
        "T1,O1,C1,2026-03-01 10:00:00,P1,books,2,10.5,1,EUR,Web,completed",
        "T2,O1,C1,2026-03-01 10:00:00,P2,home,1,20,,EUR,web,",
        "T3,O2,C2,2026-03-05 10:00:00,P1,books,-1,10.5,0,EUR,store,returned",
        "T4,O3,C2,,P1,books,1,10.5,0,EUR,store,completed",
        "T5,O4,C2,2026-03-05 10:00:00,P1,books,two,10.5,0,EUR,store,completed",
        "T6,O5,C2,2026-03-05 10:00:00,P1,books,1,10.5,0,EUR,fax,completed",
        "T7,O6,C2,2026-03-05 10:00:00,P1,books,-1,10.5,0,EUR,store,completed",
        "T8,O7,C2,2099-03-05 10:00:00,P1,books,1,10.5,0,EUR,store,completed",
        "T1,O1,C1,2026-03-01 10:00:00,P1,books,2,10.5,1,EUR,web,completed",
        "T9,O8,X9,2026-03-05 10:00:00,P1,books,1,10.5,0,EUR,store,completed",
        "T10,O9,C2,2026-12-05 10:00:00,P1,books,1,10.5,0,EUR,store,completed");
    write(landing, "support_tickets", "tickets.csv",
        "ticket_id,customer_id,opened_ts,first_response_ts,resolved_ts,channel,topic,priority,status,contacts,reopened,csat",
        "K1,C1,2026-03-02 10:00:00,2026-03-02 11:00:00,2026-03-03 10:00:00,email,delivery,high,closed,1,false,4",
        "K2,C1,2026-03-02 10:00:00,,,email,delivery,high,open,1,false,7");
    write(landing, "surveys", "surveys.csv",
        "response_id,customer_id,response_ts,survey_type,score,touchpoint,ticket_id,comment",
        "R1,C1,2026-03-04 10:00:00,nps,9,relationship,,\"great, thanks\"",
        "R2,C1,2026-03-04 10:00:00,nps,11,relationship,,",
        "R3,C2,2026-03-04 10:00:00,csat,0,post_purchase,,",
        "R4,C2,2026-03-04 10:00:00,ces,3,post_purchase,,");
    write(landing, "web_events", "events.json",
        "{\"event_id\":\"E1\",\"event_ts\":\"2026-03-01 09:55:00\",\"event_type\":\"product_view\",\"anonymous_id\":\"A1\",\"product_id\":\"P1\"}",
        "{\"event_id\":\"E2\",\"event_ts\":\"2026-03-01 09:58:00\",\"event_type\":\"add_to_cart\",\"customer_id\":\"C1\",\"anonymous_id\":\"A1\"}",
        "{\"event_id\":\"E3\",\"event_ts\":\"2026-03-01 09:59:00\",\"event_type\":\"hover\",\"anonymous_id\":\"A1\"}",
        "{\"event_id\":\"E4\",\"event_ts\":",
        "{\"event_id\":\"E5\",\"event_ts\":\"2026-03-01 09:59:00\",\"event_type\":\"page_view\",\"customer_id\":\"X1\"}");
  }

}

package io.cxlake.jobs.bench;

import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.time.Grain;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * DuckDB SQL for what cxlake's SQL-shaped jobs compute, written from the metric definitions in
 * docs/ (cohorts-kpis.md, clv.md, tables.md) rather than from the Spark code, so the two can only
 * agree if both are right. The benchmark runs it as a peer on the same silver files, and the
 * oracle tests run it on tiny fixtures. Output columns carry the names of the cxlake tables.
 */
public final class PeerSql {
  private PeerSql() {}

  /**
   * The silver tables as DuckDB relations (e.g. {@code read_parquet([...])}) and the as-of day.
   *
   * @param transactions silver transactions
   * @param customers silver customers
   * @param tickets silver support tickets
   * @param surveys silver surveys
   * @param webEvents silver web events
   * @param asOf the as-of day; rows before the end of it are visible
   */
  public record Inputs(String transactions, String customers, String tickets, String surveys, String webEvents,
      LocalDate asOf) {
    /** The exclusive cut-off, the start of the day after the as-of day (UTC wall clock). */
    public String cutoff() {
      return "TIMESTAMP '" + asOf.plusDays(1) + " 00:00:00'";
    }
  }

  /** DuckDB expression: the first day of the period of a timestamp. */
  public static String trunc(Grain grain, String ts) {
    return "CAST(date_trunc('" + grain.label() + "', " + ts + ") AS DATE)";
  }

  /** DuckDB expression: whole periods between two period starts. */
  public static String between(Grain grain, String from, String to) {
    return switch (grain) {
      case DAY -> "datediff('day', " + from + ", " + to + ")";
      case WEEK -> "(datediff('day', " + from + ", " + to + ") // 7)";
      case MONTH -> "datediff('month', " + from + ", " + to + ")";
    };
  }

  /** DuckDB expression: the period start n periods later. */
  public static String plus(Grain grain, String start, String n) {
    return switch (grain) {
      case DAY -> "(" + start + " + CAST(" + n + " AS INTEGER))";
      case WEEK -> "(" + start + " + 7 * CAST(" + n + " AS INTEGER))";
      case MONTH -> "CAST(" + start + " + to_months(CAST(" + n + " AS INTEGER)) AS DATE)";
    };
  }

  private static String completed(String status) {
    return "coalesce(" + status + ", 'completed') = 'completed'";
  }

  private static String within(Inputs in, String ts, int days) {
    return ts + " >= " + in.cutoff() + " - INTERVAL " + days + " DAY";
  }

  private static String days(String from, String to) {
    return "(epoch_us(" + to + ") - epoch_us(" + from + ")) / 86400000000.0";
  }

  /**
   * CTEs {@code orders(customer_id, order_id, ts, revenue, channel, top_category)} (completed orders
   * before the cut-off; the order's category is that of its largest line, ties alphabetical),
   * {@code buyers(customer_id, first_category)} and {@code dims(customer_id, dim, val)}: 'all'
   * and each of {@code dimensions} (acquisition_channel, country, first_category), 'unknown' when
   * missing.
   */
  public static String orderCtes(Inputs in, List<String> dimensions) {
    StringBuilder dims = new StringBuilder("dims AS (SELECT customer_id, 'all' AS dim, 'all' AS val FROM buyers");
    for (String d : dimensions) {
      String value = d.equals("first_category") ? "b.first_category" : "c." + d;
      dims.append(" UNION ALL SELECT b.customer_id, '").append(d).append("', coalesce(").append(value)
          .append(", 'unknown') FROM buyers b LEFT JOIN ").append(in.customers()).append(" c USING (customer_id)");
    }
    return "orders AS (SELECT customer_id, order_id, min(order_ts) AS ts, sum(net_amount) AS revenue, "
        + "min(channel) AS channel, struct_extract(min({'k': -net_amount, 'c': category}) "
        + "FILTER (WHERE category IS NOT NULL), 'c') AS top_category FROM " + in.transactions()
        + " WHERE order_ts < " + in.cutoff() + " AND " + completed("status") + " GROUP BY customer_id, order_id),\n"
        + "buyers AS (SELECT customer_id, first(top_category ORDER BY ts, order_id) AS first_category FROM orders "
        + "GROUP BY customer_id),\n" + dims + ")";
  }

  /**
   * The retention matrix from {@link #orderCtes}: cohort_dimension, cohort_value, cohort_start,
   * period, cohort_size, active_customers, retention_rate, orders, revenue,
   * cumulative_revenue_per_customer, revenue_retention; every period up to the as-of period.
   */
  public static String retentionSql(String ctes, Grain grain, LocalDate asOfPeriod) {
    return "WITH " + ctes + ",\n"
        + "firsts AS (SELECT customer_id, " + trunc(grain, "min(ts)") + " AS cohort FROM orders GROUP BY customer_id),\n"
        + "members AS (SELECT d.dim, d.val, f.cohort, f.customer_id FROM firsts f JOIN dims d USING (customer_id)),\n"
        + "sizes AS (SELECT dim, val, cohort, count(*) AS size FROM members GROUP BY dim, val, cohort),\n"
        + "grid AS (SELECT s.dim, s.val, s.cohort, s.size, CAST(r.range AS INTEGER) AS period\n"
        + "  FROM sizes s CROSS JOIN range(0, 5000) r WHERE " + plus(grain, "s.cohort", "r.range")
        + " <= DATE '" + asOfPeriod + "'),\n"
        + "activity AS (SELECT m.dim, m.val, m.cohort, " + between(grain, "m.cohort", trunc(grain, "o.ts")) + " AS period,\n"
        + "  count(DISTINCT o.customer_id) AS active, count(*) AS orders, sum(o.revenue) AS revenue\n"
        + "  FROM orders o JOIN members m USING (customer_id) GROUP BY ALL),\n"
        + "joined AS (SELECT g.dim, g.val, g.cohort, g.period, g.size, coalesce(a.active, 0) AS active,\n"
        + "  coalesce(a.orders, 0) AS orders, coalesce(a.revenue, 0) AS revenue\n"
        + "  FROM grid g LEFT JOIN activity a ON a.dim = g.dim AND a.val = g.val AND a.cohort = g.cohort\n"
        + "  AND a.period = g.period)\n"
        + "SELECT dim AS cohort_dimension, val AS cohort_value, cohort AS cohort_start, period, size AS cohort_size, "
        + "active AS active_customers, active / size AS retention_rate, orders, revenue,\n"
        + "  sum(revenue) OVER (PARTITION BY dim, val, cohort ORDER BY period) / size AS cumulative_revenue_per_customer,\n"
        + "  CASE WHEN first_value(revenue) OVER w > 0 THEN revenue / first_value(revenue) OVER w END AS revenue_retention\n"
        + "FROM joined WINDOW w AS (PARTITION BY dim, val, cohort ORDER BY period)";
  }

  /**
   * The repeat-purchase view from {@link #orderCtes}, a purchase being a customer's orders of one
   * UTC day: cohort_dimension, cohort_value, cohort_start, purchase_number, within_days,
   * cohort_size, customers, share.
   */
  public static String repeatPurchasesSql(String ctes, Grain grain, List<Integer> numbers, List<Integer> windows) {
    String ns = values(numbers);
    String ws = values(windows);
    return "WITH " + ctes + ",\n"
        + "days AS (SELECT customer_id, CAST(ts AS DATE) AS day, min(ts) AS ts FROM orders GROUP BY ALL),\n"
        + "numbered AS (SELECT customer_id, ts, row_number() OVER (PARTITION BY customer_id ORDER BY ts) AS n, "
        + "min(ts) OVER (PARTITION BY customer_id) AS first_ts FROM days),\n"
        + "cohorts AS (SELECT d.dim, d.val, n.customer_id, " + trunc(grain, "n.first_ts") + " AS cohort "
        + "FROM numbered n JOIN dims d USING (customer_id) WHERE n.n = 1),\n"
        + "sizes AS (SELECT dim, val, cohort, count(*) AS size FROM cohorts GROUP BY ALL),\n"
        + "windows AS (SELECT * FROM (VALUES " + ws + ") w(w)),\n"
        + "reached AS (SELECT c.dim, c.val, c.cohort, x.n, w.w, count(*) AS customers FROM numbered x "
        + "JOIN cohorts c USING (customer_id) CROSS JOIN windows w WHERE x.n IN (" + join(numbers) + ") "
        + "AND epoch_us(x.ts) - epoch_us(x.first_ts) <= w.w * 86400000000 GROUP BY ALL)\n"
        + "SELECT s.dim AS cohort_dimension, s.val AS cohort_value, s.cohort AS cohort_start, k.n AS purchase_number, "
        + "w.w AS within_days, s.size AS cohort_size, coalesce(r.customers, 0) AS customers, "
        + "coalesce(r.customers, 0) / s.size AS share "
        + "FROM sizes s CROSS JOIN (VALUES " + ns + ") k(n) CROSS JOIN windows w "
        + "LEFT JOIN reached r ON r.dim = s.dim AND r.val = s.val AND r.cohort = s.cohort AND r.n = k.n AND r.w = w.w";
  }

  /**
   * Net and gross revenue retention of the whole base from {@link #orderCtes}: lookback_periods,
   * period_start, base_customers, retained_customers, base_revenue, current_revenue, nrr, grr.
   */
  public static String revenueRetentionSql(String ctes, Grain grain, List<Integer> lookbacks, LocalDate asOfPeriod) {
    return "WITH " + ctes + ",\n"
        + "cp AS (SELECT customer_id, " + trunc(grain, "ts") + " AS p, sum(revenue) AS rev FROM orders GROUP BY ALL),\n"
        + "base AS (SELECT l.l AS lookback, customer_id, " + plus(grain, "p", "l.l") + " AS measured, rev "
        + "FROM cp CROSS JOIN (VALUES " + values(lookbacks) + ") l(l) WHERE rev > 0)\n"
        + "SELECT b.lookback AS lookback_periods, b.measured AS period_start, count(*) AS base_customers, "
        + "count(*) FILTER (WHERE coalesce(c.rev, 0) > 0) AS retained_customers, sum(b.rev) AS base_revenue, "
        + "sum(greatest(coalesce(c.rev, 0), 0)) AS current_revenue, "
        + "sum(greatest(coalesce(c.rev, 0), 0)) / sum(b.rev) AS nrr, "
        + "sum(least(greatest(coalesce(c.rev, 0), 0), b.rev)) / sum(b.rev) AS grr "
        + "FROM base b LEFT JOIN cp c ON c.customer_id = b.customer_id AND c.p = b.measured "
        + "WHERE b.measured <= DATE '" + asOfPeriod + "' GROUP BY b.lookback, b.measured";
  }

  /** Metrics of {@link #kpiSql} that Spark writes densely (a 0 row where nothing happened). */
  public static final Set<String> DENSE_KPIS = Set.of("tickets_opened", "open_backlog", "orders", "revenue",
      "active_customers", "sessions", "churned_customers");

  /**
   * Sixteen of the cx_kpis metrics at one grain: metric, dimension ('all', touchpoint, topic,
   * sales_channel), dimension_value, period_start, value. Rows only where the metric is defined
   * (Spark also writes 0 rows for the {@link #DENSE_KPIS}). A customer churns {@code churnDays}
   * after an order not followed by another within that many days.
   */
  public static String kpiSql(Inputs in, Grain grain, int churnDays) {
    String cutoff = in.cutoff();
    String hours = "(epoch_us(res) - epoch_us(opened_ts)) / 3600000000.0";
    return "WITH " + orderCtes(in, List.of()) + ",\n"
        + "s AS (SELECT *, " + trunc(grain, "response_ts") + " AS p FROM " + in.surveys() + " WHERE response_ts < "
        + cutoff + "),\n"
        + "sd AS (SELECT p, 'all' AS dim, 'all' AS val, survey_type, score FROM s UNION ALL "
        + "SELECT p, 'touchpoint', coalesce(touchpoint, 'unknown'), survey_type, score FROM s),\n"
        + "t AS (SELECT *, CASE WHEN resolved_ts < " + cutoff + " THEN resolved_ts END AS res FROM " + in.tickets()
        + " WHERE opened_ts < " + cutoff + "),\n"
        + "td AS (SELECT *, 'all' AS dim, 'all' AS val FROM t UNION ALL SELECT *, 'topic', coalesce(topic, 'unknown') FROM t),\n"
        + "resolved AS (SELECT *, " + trunc(grain, "greatest(opened_ts, res)") + " AS p, " + hours + " AS h FROM td "
        + "WHERE res IS NOT NULL),\n"
        + "periods AS (SELECT " + plus(grain, "f", "r.range") + " AS p FROM (SELECT " + trunc(grain, "min(opened_ts)")
        + " AS f FROM t), range(0, 5000) r WHERE " + plus(grain, "f", "r.range") + " <= DATE '"
        + grain.asOfPeriod(new io.cxlake.common.time.AsOf(in.asOf())) + "'),\n"
        // Backlog at a period's end: tickets opened by then minus those resolved by then.
        + "opened_n AS (SELECT " + trunc(grain, "opened_ts") + " AS p, count(*) AS n FROM t GROUP BY 1),\n"
        + "closed_n AS (SELECT " + trunc(grain, "greatest(opened_ts, res)") + " AS p, count(*) AS n FROM t "
        + "WHERE res IS NOT NULL GROUP BY 1),\n"
        + "backlog AS (SELECT p, sum(coalesce(o.n, 0) - coalesce(c.n, 0)) OVER (ORDER BY p) AS n FROM periods "
        + "LEFT JOIN opened_n o USING (p) LEFT JOIN closed_n c USING (p)),\n"
        + "o2 AS (SELECT *, min(ts) OVER (PARTITION BY customer_id) AS first_ts, " + trunc(grain, "ts") + " AS p, "
        + "lead(ts) OVER (PARTITION BY customer_id ORDER BY ts, order_id) AS next_ts FROM orders),\n"
        + "od AS (SELECT *, 'all' AS dim, 'all' AS val FROM o2 UNION ALL "
        + "SELECT *, 'sales_channel', coalesce(channel, 'unknown') FROM o2),\n"
        + "churn AS (SELECT ts + to_days(" + churnDays + ") AS cts FROM o2 WHERE (next_ts IS NULL OR "
        + "epoch_us(next_ts) - epoch_us(ts) > " + churnDays + " * 86400000000) AND ts + to_days(" + churnDays + ") < "
        + cutoff + "),\n"
        + "sess AS (SELECT session_id, min(event_ts) AS start, bool_or(event_type = 'add_to_cart') AS cart, "
        + "bool_or(event_type = 'purchase') AS purchase FROM " + in.webEvents() + " WHERE event_ts < " + cutoff
        + " AND session_id IS NOT NULL GROUP BY session_id)\n"
        + "SELECT 'nps' AS metric, dim AS dimension, val AS dimension_value, p AS period_start, "
        + "CAST(100 AS DOUBLE) * (count(*) FILTER (WHERE score >= 9) - count(*) FILTER (WHERE score <= 6)) "
        + "/ count(*) AS value FROM sd WHERE survey_type = 'nps' GROUP BY ALL\n"
        + "UNION ALL SELECT 'csat_satisfied_share', dim, val, p, count(*) FILTER (WHERE score >= 4) / count(*) "
        + "FROM sd WHERE survey_type = 'csat' GROUP BY ALL\n"
        + "UNION ALL SELECT 'csat_mean', dim, val, p, avg(score) FROM sd WHERE survey_type = 'csat' GROUP BY ALL\n"
        + "UNION ALL SELECT 'tickets_opened', dim, val, " + trunc(grain, "opened_ts") + ", count(*) FROM td GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_median', dim, val, p, quantile_cont(h, 0.5) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_p90', dim, val, p, quantile_cont(h, 0.9) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'resolution_hours_mean', dim, val, p, avg(h) FROM resolved GROUP BY ALL\n"
        + "UNION ALL SELECT 'first_contact_resolution_rate', dim, val, p, count(*) FILTER (WHERE contacts = 1) / "
        + "count(contacts) FROM resolved GROUP BY ALL HAVING count(contacts) > 0\n"
        + "UNION ALL SELECT 'open_backlog', 'all', 'all', p, n FROM backlog\n"
        + "UNION ALL SELECT 'orders', dim, val, p, count(*) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'revenue', dim, val, p, sum(revenue) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'active_customers', dim, val, p, count(DISTINCT customer_id) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'repeat_purchase_rate', dim, val, p, count(DISTINCT customer_id) FILTER (WHERE first_ts < p) "
        + "/ count(DISTINCT customer_id) FROM od GROUP BY ALL\n"
        + "UNION ALL SELECT 'churned_customers', 'all', 'all', " + trunc(grain, "cts") + ", count(*) FROM churn GROUP BY ALL\n"
        + "UNION ALL SELECT 'sessions', 'all', 'all', " + trunc(grain, "start") + ", count(*) FROM sess GROUP BY ALL\n"
        + "UNION ALL SELECT 'cart_abandonment_rate', 'all', 'all', " + trunc(grain, "start") + ", "
        + "count(*) FILTER (WHERE cart AND NOT purchase) / count(*) FILTER (WHERE cart) FROM sess GROUP BY ALL "
        + "HAVING count(*) FILTER (WHERE cart) > 0";
  }

  /**
   * The BTYD summary of clv (purchases are a customer's completed orders of one UTC day, returned
   * orders excluded): customer_id, x, t_x_days, t_days, mean_repeat_value (the first purchase's
   * value excluded; null when x = 0).
   */
  public static String clvSummarySql(Inputs in) {
    return "WITH occ AS (SELECT customer_id, CAST(order_ts AS DATE) AS day, min(order_ts) AS ts, sum(net_amount) AS value "
        + "FROM " + in.transactions() + " WHERE order_ts < " + in.cutoff() + " AND " + completed("status")
        + " GROUP BY customer_id, CAST(order_ts AS DATE))\n"
        + "SELECT customer_id, count(*) - 1 AS x, datediff('day', min(day), max(day)) AS t_x_days, "
        + "datediff('day', min(day), DATE '" + in.asOf() + "') AS t_days, "
        + "CASE WHEN count(*) > 1 THEN (sum(value) - arg_min(value, ts)) / (count(*) - 1) END AS mean_repeat_value "
        + "FROM occ GROUP BY customer_id";
  }

  /**
   * A subset of customer_360's features for every customer known at the cut-off (signed up before
   * it, or with an order before it): orders, monetary_total, orders_90d, revenue_365d,
   * recency_days, return_rate, tickets_total, open_tickets, mean_ticket_csat, csat_responses,
   * mean_csat, sessions_30d, product_views_30d, cart_abandonments_90d. Web events count for their
   * customer, or for the stitched one when the login happened before the cut-off.
   */
  public static String customer360Sql(Inputs in) {
    String cutoff = in.cutoff();
    return "WITH tx AS (SELECT * FROM " + in.transactions() + " WHERE order_ts < " + cutoff + "),\n"
        + "base AS (SELECT customer_id FROM " + in.customers() + " WHERE signup_ts IS NULL OR signup_ts < " + cutoff
        + " UNION SELECT customer_id FROM tx),\n"
        + "o AS (SELECT customer_id, order_id, min(order_ts) AS ts, bool_or(" + completed("status") + ") AS done, "
        + "sum(net_amount) FILTER (WHERE " + completed("status") + ") AS net, "
        + "count(*) FILTER (WHERE " + completed("status") + ") AS completed_lines, "
        + "count(*) FILTER (WHERE status = 'returned') AS returned_lines FROM tx GROUP BY ALL),\n"
        + "of AS (SELECT customer_id, count(*) FILTER (WHERE done) AS orders, sum(net) FILTER (WHERE done) AS monetary_total, "
        + "count(*) FILTER (WHERE done AND " + within(in, "ts", 90) + ") AS orders_90d, "
        + "sum(net) FILTER (WHERE done AND " + within(in, "ts", 365) + ") AS revenue_365d, "
        + days("max(ts) FILTER (WHERE done)", cutoff) + " AS recency_days, "
        + "CASE WHEN sum(returned_lines) + sum(completed_lines) > 0 THEN sum(returned_lines) / "
        + "(sum(returned_lines) + sum(completed_lines)) END AS return_rate FROM o GROUP BY 1),\n"
        + "tk AS (SELECT customer_id, count(*) AS tickets_total, "
        + "count(*) FILTER (WHERE resolved_ts IS NULL OR resolved_ts >= " + cutoff + ") AS open_tickets, "
        + "avg(csat) FILTER (WHERE resolved_ts < " + cutoff + ") AS mean_ticket_csat FROM " + in.tickets()
        + " WHERE opened_ts < " + cutoff + " GROUP BY 1),\n"
        + "sv AS (SELECT customer_id, count(*) FILTER (WHERE survey_type = 'csat') AS csat_responses, "
        + "avg(score) FILTER (WHERE survey_type = 'csat') AS mean_csat FROM " + in.surveys() + " WHERE response_ts < "
        + cutoff + " GROUP BY 1),\n"
        + "ev AS (SELECT CASE WHEN customer_id IS NOT NULL THEN customer_id WHEN resolved_ts < " + cutoff
        + " THEN resolved_customer_id END AS cid, session_id, event_ts, event_type FROM " + in.webEvents()
        + " WHERE event_ts < " + cutoff + "),\n"
        + "se AS (SELECT cid, session_id, min(event_ts) AS start, "
        + "count(*) FILTER (WHERE event_type = 'product_view' AND " + within(in, "event_ts", 30) + ") AS views30, "
        + "bool_or(event_type = 'add_to_cart') AS cart, bool_or(event_type = 'purchase') AS purchase FROM ev "
        + "WHERE cid IS NOT NULL GROUP BY ALL),\n"
        + "wf AS (SELECT cid AS customer_id, count(*) FILTER (WHERE " + within(in, "start", 30) + ") AS sessions_30d, "
        + "sum(views30) AS product_views_30d, count(*) FILTER (WHERE " + within(in, "start", 90)
        + " AND cart AND NOT purchase) AS cart_abandonments_90d FROM se GROUP BY 1)\n"
        + "SELECT customer_id, coalesce(orders, 0) AS orders, monetary_total, coalesce(orders_90d, 0) AS orders_90d, "
        + "revenue_365d, recency_days, return_rate, coalesce(tickets_total, 0) AS tickets_total, "
        + "coalesce(open_tickets, 0) AS open_tickets, mean_ticket_csat, coalesce(csat_responses, 0) AS csat_responses, "
        + "mean_csat, coalesce(sessions_30d, 0) AS sessions_30d, coalesce(product_views_30d, 0) AS product_views_30d, "
        + "coalesce(cart_abandonments_90d, 0) AS cart_abandonments_90d "
        + "FROM base LEFT JOIN of USING (customer_id) LEFT JOIN tk USING (customer_id) LEFT JOIN sv USING (customer_id) "
        + "LEFT JOIN wf USING (customer_id)";
  }

  /**
   * Parse, type, validate and de-duplicate one source's landing files as cxlake's ingest does, by
   * its contract: every value read as text, blank is null, required columns present, typed columns
   * castable, categorical values in their domain, one row per key. {@code reader} is a DuckDB
   * table function over the files that yields the contract columns as text.
   */
  public static String ingestSql(SourceContract contract, String reader) {
    List<String> typed = new ArrayList<>();
    List<String> valid = new ArrayList<>();
    for (Map.Entry<String, DataType> c : contract.columns().entrySet()) {
      String raw = "nullif(trim(\"" + c.getKey() + "\"), '')";
      String type = duckType(c.getValue());
      String value = type.equals("VARCHAR") ? raw : "TRY_CAST(" + raw + " AS " + type + ")";
      Set<String> domain = contract.domains().get(c.getKey());
      if (domain != null) {
        value = "lower(" + value + ")";
      }
      typed.add(value + " AS \"" + c.getKey() + "\"");
      if (contract.required().contains(c.getKey())) {
        valid.add(value + " IS NOT NULL");
      } else if (!type.equals("VARCHAR")) {
        valid.add("(" + raw + " IS NULL OR " + value + " IS NOT NULL)");
      }
      if (domain != null) {
        valid.add("(" + value + " IS NULL OR " + value + " IN ("
            + domain.stream().sorted().map(v -> "'" + v + "'").collect(Collectors.joining(", ")) + "))");
      }
    }
    return "SELECT " + String.join(", ", typed) + " FROM " + reader + " WHERE " + String.join(" AND ", valid)
        + " QUALIFY row_number() OVER (PARTITION BY \"" + contract.key() + "\") = 1";
  }

  private static String duckType(DataType type) {
    if (type.equals(DataTypes.IntegerType)) {
      return "INTEGER";
    } else if (type.equals(DataTypes.LongType)) {
      return "BIGINT";
    } else if (type.equals(DataTypes.DoubleType)) {
      return "DOUBLE";
    } else if (type.equals(DataTypes.BooleanType)) {
      return "BOOLEAN";
    } else if (type.equals(DataTypes.TimestampType)) {
      return "TIMESTAMP";
    } else if (type.equals(DataTypes.DateType)) {
      return "DATE";
    }
    return "VARCHAR";
  }

  private static String values(List<Integer> values) {
    return values.stream().map(v -> "(" + v + ")").collect(Collectors.joining(", "));
  }

  private static String join(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}

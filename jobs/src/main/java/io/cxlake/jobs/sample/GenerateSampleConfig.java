package io.cxlake.jobs.sample;

import io.cxlake.common.schema.SourceContract;
import io.cxlake.common.schema.Sources;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link GenerateSampleJob} generates: where it writes, the as-of day the history ends at, the
 * population size and seed, and how much deliberately broken data to plant. The constructor rejects
 * the first invalid component with "Cannot generate sample: reason (value)".
 *
 * @param landing landing root the six source folders are written under (local path or URI, e.g.
 *     {@code s3a://bucket/landing}); each source folder is replaced on a rerun
 * @param truth folder the ground truth is written to ({@code customers/}, {@code bad_rows/},
 *     {@code params/}); must differ from {@code landing}
 * @param asOf the as-of day: the history ends at the start of this day (UTC), so nothing generated
 *     lies in the future when it is today; must be before 2099, the year of planted future timestamps
 * @param customers number of customers to simulate, 1 to 10,000,000
 * @param seed random seed; the same seed and arguments give the same row content
 * @param historyDays length of the history in days before {@code asOf}, at least 30
 * @param products size of the product catalogue, 20 to 99,999 (ids are {@code P} + 5 digits)
 * @param badRowRate share of rows per source that get an extra deliberately broken copy, 0 to 0.2
 * @param sources the sources to write (customers and transactions at least); the others are
 *     simulated identically but not written, e.g. to benchmark a purchases-only workload
 */
public record GenerateSampleConfig(
    String landing,
    String truth,
    LocalDate asOf,
    long customers,
    long seed,
    int historyDays,
    int products,
    double badRowRate,
    Set<String> sources) {

  /** Every source of the input contract: what a sample has unless told otherwise. */
  public static final Set<String> ALL_SOURCES =
      Sources.ALL.stream().map(SourceContract::name).collect(Collectors.toUnmodifiableSet());

  /** Largest population the generator is sized and tested for. */
  public static final long MAX_CUSTOMERS = 10_000_000L;
  /** Shortest history that still shows repeat purchases and retention. */
  public static final int MIN_HISTORY_DAYS = 30;
  /** Smallest catalogue that gives every category at least two products. */
  public static final int MIN_PRODUCTS = 20;
  /** Largest catalogue the five-digit product id can number. */
  public static final int MAX_PRODUCTS = 99_999;
  /** Upper bound of the bad-row rate: beyond it the sample is more noise than data. */
  public static final double MAX_BAD_ROW_RATE = 0.2;
  /** Planted FUTURE_TIMESTAMP rows use this year, so the real history must end before it. */
  static final int FUTURE_YEAR = 2099;

  /** A sample of every source. */
  public GenerateSampleConfig(String landing, String truth, LocalDate asOf, long customers, long seed,
      int historyDays, int products, double badRowRate) {
    this(landing, truth, asOf, customers, seed, historyDays, products, badRowRate, ALL_SOURCES);
  }

  public GenerateSampleConfig {
    sources = Set.copyOf(sources);
    if (!ALL_SOURCES.containsAll(sources)) {
      throw invalid("unknown source in " + sources + "; sources are " + new java.util.TreeSet<>(ALL_SOURCES), sources);
    }
    if (!sources.containsAll(Sources.MANDATORY)) {
      throw invalid("the sources must include " + Sources.MANDATORY, sources);
    }
    if (landing == null || landing.isBlank()) {
      throw invalid("no landing root given", landing);
    }
    if (truth == null || truth.isBlank()) {
      throw invalid("no truth folder given", truth);
    }
    if (stripSlash(landing).equals(stripSlash(truth))) {
      throw invalid("the truth folder must differ from the landing root", truth);
    }
    if (asOf == null) {
      throw invalid("no as-of date given", null);
    }
    if (asOf.getYear() >= FUTURE_YEAR) {
      throw invalid("the as-of date must be before " + FUTURE_YEAR, asOf);
    }
    if (customers <= 0 || customers > MAX_CUSTOMERS) {
      throw invalid("customers must be between 1 and " + MAX_CUSTOMERS, customers);
    }
    if (historyDays < MIN_HISTORY_DAYS) {
      throw invalid("history days must be at least " + MIN_HISTORY_DAYS, historyDays);
    }
    if (products < MIN_PRODUCTS || products > MAX_PRODUCTS) {
      throw invalid("products must be between " + MIN_PRODUCTS + " and " + MAX_PRODUCTS, products);
    }
    if (!(badRowRate >= 0 && badRowRate <= MAX_BAD_ROW_RATE)) {
      throw invalid("bad row rate must be between 0 and " + MAX_BAD_ROW_RATE, badRowRate);
    }
  }

  private static String stripSlash(String path) {
    String p = path.strip();
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static IllegalArgumentException invalid(String reason, Object value) {
    return new IllegalArgumentException("Cannot generate sample: " + reason + " (" + value + ")");
  }
}

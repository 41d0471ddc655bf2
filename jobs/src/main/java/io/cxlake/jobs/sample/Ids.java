package io.cxlake.jobs.sample;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Identifier and value formats of the landing zone, one place so every source agrees. */
final class Ids {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Ids() {}

  /** Zero-padded decimal; wider numbers keep all their digits. */
  static String pad(long value, int width) {
    String s = Long.toString(value);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /** {@code C} + 8-digit index. */
  static String customerId(long index) {
    return "C" + pad(index, 8);
  }

  /** UTC {@code yyyy-MM-dd HH:mm:ss}. */
  static String timestamp(long epochSecond) {
    return TIMESTAMP.format(LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC));
  }

  /** Parses what {@link #timestamp} wrote. */
  static LocalDateTime parseTimestamp(String text) {
    return LocalDateTime.parse(text, TIMESTAMP);
  }

  /** Formats a timestamp given as a local date-time in UTC. */
  static String timestamp(LocalDateTime time) {
    return TIMESTAMP.format(time);
  }

  /** A money amount with two decimals and a dot, whatever the JVM's locale. */
  static String money(double amount) {
    long cents = Math.round(amount * 100);
    String sign = cents < 0 ? "-" : "";
    long abs = Math.abs(cents);
    return sign + (abs / 100) + "." + pad(abs % 100, 2);
  }
}

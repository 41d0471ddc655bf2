package io.cxlake.common.privacy;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.encode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unhex;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.spark.sql.Column;

/**
 * Keyed pseudonyms of personal identifiers: HMAC-SHA256 (RFC 2104) with a secret, as hex, built
 * from Spark's own sha2, so a key cannot be matched against a list of identifiers without the
 * secret, and the same secret gives the same key in every table and export (the business, holding
 * the secret, can compute it in its own systems).
 */
public final class Pseudonyms {
  private static final int BLOCK = 64;

  private Pseudonyms() {}

  /** HMAC-SHA256 of the UTF-8 text of a column with the secret, as 64 hex characters; null stays null. */
  public static Column hmac(Column value, String secret) {
    byte[] key = secret.getBytes(StandardCharsets.UTF_8);
    if (key.length > BLOCK) {
      key = sha256(key);
    }
    byte[] inner = new byte[BLOCK];
    byte[] outer = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      byte k = i < key.length ? key[i] : 0;
      inner[i] = (byte) (k ^ 0x36);
      outer[i] = (byte) (k ^ 0x5c);
    }
    Column innerHash = unhex(sha2(concat(lit(inner), encode(value, StandardCharsets.UTF_8.name())), 256));
    return when(value.isNotNull(), sha2(concat(lit(outer), innerHash), 256));
  }

  /**
   * The keyed pseudonym of an identifier as people write it: HMAC of its trimmed lower-case text,
   * so " Anna@X.com" and "anna@x.com" match. The quarantine's masked PII and the suppression list
   * use it, so erasure finds what ingest masked.
   */
  public static Column identifierKey(Column value, String secret) {
    return hmac(lower(trim(value)), secret);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash: no SHA-256 in this JVM", e);
    }
  }
}

package io.cxlake.common.privacy;

import io.cxlake.common.config.CxConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secret of the keyed pseudonyms ({@link Pseudonyms}): {@code privacy.hash-salt} (which the
 * defaults take from the environment variable {@code CXLAKE_HASH_SALT}), else the content of
 * {@code privacy.hash-salt-file}. There is no committed default a production run could fall back
 * to: the built-in demo secret is used only when {@code privacy.demo-data = true}, which
 * {@code cxlake demo} sets for its generated data, and is refused otherwise.
 */
public final class PrivacySecret {
  /** The secret of generated demo data; public in the source, so it protects nothing. */
  public static final String DEMO_SECRET = "cxlake-demo-secret-not-for-real-data";

  /** Config key of the secret. */
  public static final String KEY = "privacy.hash-salt";
  /** Config key of a file holding the secret (a mounted secret, e.g. in Kubernetes). */
  public static final String FILE_KEY = "privacy.hash-salt-file";
  /** Config key that allows the built-in demo secret. */
  public static final String DEMO_KEY = "privacy.demo-data";

  private static final int MIN_LENGTH = 16;

  private PrivacySecret() {}

  /**
   * The configured secret.
   *
   * @throws IllegalArgumentException when none is set, when it is too short to be a secret, or when
   *     it is the demo secret outside demo mode
   */
  public static String from(CxConfig config) {
    boolean demo = config.getBoolean(DEMO_KEY);
    String secret = config.getString(KEY);
    String origin = KEY;
    if (secret.isEmpty() && !config.getString(FILE_KEY).isEmpty()) {
      Path file = Path.of(config.getString(FILE_KEY));
      origin = FILE_KEY + " " + file;
      try {
        secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the pseudonymization secret: " + e.getMessage()
            + " (" + FILE_KEY + ")", e);
      }
    }
    if (secret.isEmpty()) {
      if (demo) {
        return DEMO_SECRET;
      }
      throw new IllegalArgumentException("Cannot pseudonymize personal data: no secret is set (" + KEY + "); "
          + "export CXLAKE_HASH_SALT=<a random secret of 16+ characters, kept stable>, or set " + FILE_KEY
          + " to a file holding it (docs/privacy.md). Only 'cxlake demo' runs without one, on generated data.");
    }
    if (secret.equals(DEMO_SECRET) && !demo) {
      throw new IllegalArgumentException("Cannot pseudonymize personal data: " + origin + " is the public demo "
          + "secret, which only generated demo data may use (" + DEMO_KEY + " = false); set a secret of your own");
    }
    if (secret.length() < MIN_LENGTH && !demo) {
      throw new IllegalArgumentException("Cannot pseudonymize personal data: the secret from " + origin
          + " is shorter than " + MIN_LENGTH + " characters (" + secret.length() + ")");
    }
    return secret;
  }
}

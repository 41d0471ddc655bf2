package io.cxlake.common.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.config.CxConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No committed secret to fall back to; the demo's only on demo data; a file works as a mounted secret. */
class PrivacySecretTest {
  private static CxConfig conf(Map<String, String> overrides) {
    return CxConfig.load(Optional.empty(), overrides);
  }

  @Test
  void withoutASecretJobsRefuseAndSayHowToSetOne() {
    assertThatThrownBy(() -> PrivacySecret.from(conf(Map.of(PrivacySecret.KEY, ""))))
        .hasMessageStartingWith("Cannot pseudonymize personal data: no secret is set (privacy.hash-salt)")
        .hasMessageContaining("CXLAKE_HASH_SALT");
  }

  @Test
  void theDemoSecretServesDemoDataOnly() {
    assertThat(PrivacySecret.from(conf(Map.of(PrivacySecret.KEY, "", PrivacySecret.DEMO_KEY, "true"))))
        .isEqualTo(PrivacySecret.DEMO_SECRET);
    assertThatThrownBy(() -> PrivacySecret.from(conf(Map.of(PrivacySecret.KEY, PrivacySecret.DEMO_SECRET))))
        .hasMessageContaining("is the public demo secret");
    assertThatThrownBy(() -> PrivacySecret.from(conf(Map.of(PrivacySecret.KEY, "short"))))
        .hasMessageContaining("shorter than 16 characters (5)");
  }

  @Test
  void aSecretFileIsReadWhenNoValueIsSet(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("salt"), "a-mounted-secret-of-some-length\n");
    assertThat(PrivacySecret.from(conf(Map.of(PrivacySecret.KEY, "", PrivacySecret.FILE_KEY, file.toString()))))
        .isEqualTo("a-mounted-secret-of-some-length");
  }

  @Test
  void secretKeysAreRecognisedForRedaction() {
    assertThat(CxConfig.redacted("privacy.hash-salt", "s3cret-value")).isEqualTo("privacy.hash-salt=<redacted>");
    assertThat(CxConfig.redacted("spark.hadoop.fs.s3a.secret.key", "x")).endsWith("<redacted>");
    assertThat(CxConfig.redacted("privacy.demo-data", "true")).isEqualTo("privacy.demo-data=true");
    assertThat(CxConfig.redacted("clv.horizon-months", "6")).isEqualTo("clv.horizon-months=6");
  }
}

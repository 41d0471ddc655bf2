package io.cxlake.common.privacy;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxlake.common.testing.SparkExtension;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The built-in-functions HMAC against the JDK's HmacSHA256, short and long secrets, non-ASCII text. */
@ExtendWith(SparkExtension.class)
class PseudonymsTest {
  private static String jdk(String secret, String value) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void matchesTheJdksHmacSha256(SparkSession spark) throws Exception {
    List<String> values = List.of("C00001", "anna.müller@example.com", "");
    for (String secret : List.of("s3cret", "k".repeat(100))) {
      List<Row> keys = spark.createDataset(values, Encoders.STRING()).toDF("v")
          .select(col("v"), Pseudonyms.hmac(col("v"), secret).as("k")).collectAsList();
      for (Row r : keys) {
        assertThat(r.getString(1)).as("HMAC of '" + r.getString(0) + "' with a " + secret.length() + "-byte secret")
            .isEqualTo(jdk(secret, r.getString(0)));
      }
    }
  }
}

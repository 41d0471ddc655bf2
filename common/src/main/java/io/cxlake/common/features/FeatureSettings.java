package io.cxlake.common.features;

/**
 * Settings of the point-in-time customer features.
 *
 * @param mergeSameDayOrders count a customer's orders on one day as one purchase occasion (BTYD)
 * @param browseWindowDays look-back window of browse-without-buy, in days (1-90)
 * @param browseMinViews product views within the window that make a browse-without-buy (>= 1)
 * @param secret secret of the keyed pseudonymous e-mail key ({@link io.cxlake.common.privacy.PrivacySecret})
 */
public record FeatureSettings(boolean mergeSameDayOrders, int browseWindowDays, int browseMinViews, String secret) {
  public FeatureSettings {
    if (browseWindowDays < 1 || browseWindowDays > 90) {
      throw new IllegalArgumentException(
          "Cannot configure customer360.browse-window-days: must be 1-90 (" + browseWindowDays + ")");
    }
    if (browseMinViews < 1) {
      throw new IllegalArgumentException(
          "Cannot configure customer360.browse-min-views: must be at least 1 (" + browseMinViews + ")");
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("Cannot configure privacy.hash-salt: missing (" + secret + ")");
    }
  }
}

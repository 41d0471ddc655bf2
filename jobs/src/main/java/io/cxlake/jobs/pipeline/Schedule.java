package io.cxlake.jobs.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** When Airflow runs a job: the daily pipeline or the weekly model retraining. */
public enum Schedule {
  DAILY,
  WEEKLY;

  /** The name used in the pipeline file and on the command line ({@code daily}, {@code weekly}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The schedule of that name, if any. */
  public static Optional<Schedule> byId(String id) {
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
  }
}

package io.cxlake.common.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Saved models in folders named by their training as-of date ({@code <prefix>yyyy-MM-dd}) under
 * one root, on any Hadoop file system: which one a job of a given date may use.
 */
public final class ModelVersions {
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private ModelVersions() {}

  /** Writes a model's files into a folder it is given. */
  @FunctionalInterface
  public interface Writer {
    void write(String folder) throws IOException;
  }

  /**
   * Saves a version atomically: the writer fills a fresh staging folder beside it ({@code _staging-...},
   * never taken for a version), which then replaces the version by renames, so a reader finds the
   * old model or the new one and never a folder whose parts come from two runs; a save killed midway
   * leaves only a staging folder, which the next save of the version removes.
   *
   * @param version the version's folder
   */
  public static void publish(SparkSession spark, String version, Writer writer) {
    Path target = new Path(version);
    Path staging = new Path(target.getParent(), "_staging-" + target.getName());
    Path replaced = new Path(target.getParent(), "_replaced-" + target.getName());
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(staging, true);
      fs.delete(replaced, true);
      writer.write(staging.toString());
      if (fs.exists(target) && !fs.rename(target, replaced)) {
        throw new IOException("cannot move the previous version aside");
      }
      if (!fs.rename(staging, target)) {
        throw new IOException("cannot move the new version into place");
      }
      fs.delete(replaced, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save model: " + e.getMessage() + " (" + version + ")", e);
    }
  }

  /**
   * The date of the latest complete model trained on or before a date, so a job never uses a
   * model that saw data after its own as-of date. Other folders (a copied model, notes) and
   * folders without the completion marker (an interrupted save) are not versions.
   *
   * @param root the folder holding one sub-folder per version
   * @param prefix what precedes the date in a version's folder name ("" for none)
   * @param marker a file, relative to the version folder, that the save writes last
   * @param what the models, for the error message
   */
  public static Optional<LocalDate> latest(SparkSession spark, String root, String prefix, String marker,
      LocalDate onOrBefore, String what) {
    Path rootPath = new Path(root);
    try {
      FileSystem fs = rootPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(rootPath)) {
        return Optional.empty();
      }
      Optional<LocalDate> latest = Optional.empty();
      for (FileStatus s : fs.listStatus(rootPath)) {
        String name = s.getPath().getName();
        if (!s.isDirectory() || !name.startsWith(prefix) || !DATE.matcher(name.substring(prefix.length())).matches()) {
          continue;
        }
        LocalDate date = LocalDate.parse(name.substring(prefix.length()));
        if (!date.isAfter(onOrBefore) && fs.exists(new Path(s.getPath(), marker))) {
          latest = Optional.of(latest.map(d -> d.isAfter(date) ? d : date).orElse(date));
        }
      }
      return latest;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + what + ": " + e.getMessage() + " (" + root + ")", e);
    }
  }
}

package io.cxlake.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxlake.common.testing.SparkExtension;
import io.cxlake.jobs.pipeline.PipelineDefinition;
import io.cxlake.jobs.pipeline.PipelineJob;
import io.cxlake.jobs.pipeline.PipelineRunner.JobLauncher;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The benchmark's numbers are the work each job did: a shuffling job shows its shuffle, an idle one none. */
@ExtendWith(SparkExtension.class)
class MeasuredLauncherTest {
  @Test
  void eachJobGetsTheWorkOfItsOwnTasks(SparkSession spark) throws Exception {
    List<PipelineJob> jobs = PipelineDefinition.loadDefault().plan(java.util.Optional.empty(),
        java.util.Optional.empty(), List.of()).jobs();
    PipelineJob shuffling = jobs.get(0);
    PipelineJob idle = jobs.get(1);
    JobLauncher fake = new JobLauncher() {
      @Override
      public void check(PipelineJob job) {}

      @Override
      public void launch(PipelineJob job) {
        if (job.equals(shuffling)) {
          // 20,000 rows regrouped: a shuffle that writes and reads the same bytes.
          assertThat(spark.range(20_000).groupBy(col("id").mod(97)).count().collectAsList()).hasSize(97);
        } else if (!job.equals(idle)) {
          throw new IllegalStateException("boom");
        }
      }
    };
    SparkWork work = SparkWork.attach(spark.sparkContext());
    try {
      MeasuredLauncher launcher = new MeasuredLauncher(fake, work);
      launcher.launch(shuffling);
      launcher.launch(idle);
      assertThatThrownBy(() -> launcher.launch(jobs.get(2))).hasMessage("boom");

      List<MeasuredLauncher.Measurement> m = launcher.measurements();
      assertThat(m).extracting(MeasuredLauncher.Measurement::job).containsExactly(shuffling, idle);
      SparkWork.Totals shuffled = m.get(0).work();
      assertThat(shuffled.shuffleWriteBytes()).as("shuffle written").isPositive();
      assertThat(shuffled.shuffleReadBytes()).as("the same bytes read back").isEqualTo(shuffled.shuffleWriteBytes());
      assertThat(shuffled.tasks()).isPositive();
      assertThat(m.get(0).heapPeakBytes()).isPositive().isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
      assertThat(m.get(1).work()).as("an idle job did no Spark work")
          .isEqualTo(new SparkWork.Totals(0, 0, 0, 0, 0, 0));
      assertThat(m.get(1).seconds()).isNotNegative();
    } finally {
      work.detach();
    }
  }
}

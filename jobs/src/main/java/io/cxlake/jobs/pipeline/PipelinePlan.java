package io.cxlake.jobs.pipeline;

import java.util.List;

/**
 * What one pipeline run executes.
 *
 * @param jobs the enabled jobs selected, in execution order
 * @param skipped the selected jobs that are disabled in the pipeline file
 */
public record PipelinePlan(List<PipelineJob> jobs, List<PipelineJob> skipped) {
  public PipelinePlan {
    jobs = List.copyOf(jobs);
    skipped = List.copyOf(skipped);
  }
}

package dev.barista.engine.core;

/**
 * Limits of one engine step.
 *
 * @param maxNumBatchedTokens token budget of a step (prefill chunks plus decodes)
 * @param maxNumSeqs most requests running at once
 * @param maxModelLen longest prompt plus output
 * @param policy admission and preemption order
 */
public record SchedulerConfig(
    int maxNumBatchedTokens, int maxNumSeqs, int maxModelLen, SchedulingPolicy policy) {
  public SchedulerConfig {
    if (maxNumBatchedTokens < 1) {
      throw new dev.barista.engine.api.InvalidParameterException("max_num_batched_tokens",
          "max_num_batched_tokens must be at least 1, got " + maxNumBatchedTokens);
    }
    if (maxNumSeqs < 1) {
      throw new dev.barista.engine.api.InvalidParameterException("max_num_seqs",
          "max_num_seqs must be at least 1, got " + maxNumSeqs);
    }
    if (maxModelLen < 2) {
      throw new dev.barista.engine.api.InvalidParameterException("max_model_len",
          "max_model_len must be at least 2, got " + maxModelLen);
    }
  }
}

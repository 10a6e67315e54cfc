package dev.barista.engine.runner;

import dev.barista.engine.sampling.SequenceSamplingState;

/**
 * A run of consecutive tokens of one sequence to compute in a step.
 *
 * @param sampling the sequence's sampling parameters and history (prompt and output tokens, RNG)
 * @param tokenIds the tokens to compute, at positions {@code startPosition ..}
 * @param startPosition the position of {@code tokenIds[0]}; keys and values of all earlier
 *     positions are already in the cache
 * @param blockTable physical KV-cache block ids of the sequence in position order; covers every
 *     position up to {@code startPosition + tokenIds.length - 1}
 * @param sample whether to sample a next token from the last position's logits (false for a
 *     prefill chunk that does not reach the end of the prompt)
 * @param promptLogprobs whether to report prompt logprobs for the positions of this slice
 * @param pool whether to return the last position's final-normed hidden state (a pooling request,
 *     {@code sample} set too)
 */
public record SequenceSlice(
    SequenceSamplingState sampling,
    int[] tokenIds,
    int startPosition,
    int[] blockTable,
    boolean sample,
    boolean promptLogprobs,
    boolean pool) {

  /** A slice of a generation request (nothing pooled). */
  public SequenceSlice(SequenceSamplingState sampling, int[] tokenIds, int startPosition, int[] blockTable,
      boolean sample, boolean promptLogprobs) {
    this(sampling, tokenIds, startPosition, blockTable, sample, promptLogprobs, false);
  }

  public int endPosition() {
    return startPosition + tokenIds.length;
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;
import java.util.Set;

/** Creates and advances the per-sequence state the runner's sampler reads. */
public interface SamplingStates {

  /**
   * @param badWordsTokenIds the request's bad words as token id sequences
   * @throws dev.barista.engine.api.InvalidParameterException for token ids outside the vocabulary
   */
  SequenceSamplingState create(int[] promptTokenIds, SamplingParams params, int completionIndex,
      Set<Integer> eosTokenIds, List<int[]> badWordsTokenIds);

  /** Tells the state a token was generated (penalties and stop checks read the output). */
  void appendOutput(SequenceSamplingState state, int tokenId);
}

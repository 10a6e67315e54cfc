package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.Set;

/** Creates and advances the per-sequence state the runner's sampler reads. */
public interface SamplingStates {

  SequenceSamplingState create(int[] promptTokenIds, SamplingParams params, int completionIndex,
      Set<Integer> eosTokenIds);

  /** Tells the state a token was generated (penalties and stop checks read the output). */
  void appendOutput(SequenceSamplingState state, int tokenId);
}

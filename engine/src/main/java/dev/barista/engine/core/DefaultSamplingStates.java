package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;
import java.util.Set;

/** Sampling states for the engine's sampler, checking token ids against the model's vocabulary. */
public final class DefaultSamplingStates implements SamplingStates {
  private final int vocabSize;

  public DefaultSamplingStates(int vocabSize) {
    this.vocabSize = vocabSize;
  }

  @Override
  public SequenceSamplingState create(int[] promptTokenIds, SamplingParams params,
      int completionIndex, Set<Integer> eosTokenIds, List<int[]> badWordsTokenIds) {
    return SequenceSamplingState.create(params, promptTokenIds, completionIndex,
        List.copyOf(eosTokenIds), badWordsTokenIds, vocabSize);
  }

  @Override
  public void appendOutput(SequenceSamplingState state, int tokenId) {
    state.appendOutput(tokenId);
  }
}

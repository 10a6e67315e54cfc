package dev.barista.engine.runner;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.List;

/** What a step produced, one entry per slice of the batch, in the batch's order. */
public record StepResult(List<SliceResult> slices) {

  /**
   * @param sampledToken the sampled token id, or -1 when the slice did not sample
   * @param sampledLogprobs logprobs of the sampled token and the top-k alternatives, or null when
   *     the request asked for none
   * @param promptLogprobs for each position of the slice that has a next prompt token, the logprob
   *     of that token and the top-k; empty when not asked for
   * @param pooled the last position's hidden state after the final norm, for a slice that pools;
   *     else null
   */
  public record SliceResult(
      int sampledToken, TokenLogprobs sampledLogprobs, List<TokenLogprobs> promptLogprobs, float[] pooled) {

    public SliceResult(int sampledToken, TokenLogprobs sampledLogprobs, List<TokenLogprobs> promptLogprobs) {
      this(sampledToken, sampledLogprobs, promptLogprobs, null);
    }
  }
}

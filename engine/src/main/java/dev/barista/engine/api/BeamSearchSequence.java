package dev.barista.engine.api;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.List;

/**
 * One beam, as vLLM's BeamSearchSequence.
 *
 * @param tokens the prompt's tokens followed by the generated ones
 * @param logprobs per generated token: its logprob, and the step's top candidates
 * @param cumLogprob the sum of the generated tokens' logprobs
 * @param text the generated text (without a final end-of-sequence token); empty without a tokenizer
 * @param finishReason "stop" when it ended with an end-of-sequence token, else "length"
 */
public record BeamSearchSequence(List<Integer> tokens, List<TokenLogprobs> logprobs, double cumLogprob,
    String text, String finishReason) {

  public BeamSearchSequence {
    tokens = List.copyOf(tokens);
    logprobs = List.copyOf(logprobs);
  }
}

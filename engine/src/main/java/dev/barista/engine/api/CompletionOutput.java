package dev.barista.engine.api;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.List;

/**
 * One completion of a request, as vLLM's CompletionOutput.
 *
 * @param index which of the request's n completions
 * @param text the generated text (empty when the model has no tokenizer)
 * @param tokenIds generated token ids
 * @param cumulativeLogprob sum of the sampled tokens' logprobs, or null when logprobs were not asked
 * @param logprobs per generated token, or null when not asked
 * @param finishReason "stop", "length" or "abort"; null while unfinished
 * @param stopReason the stop string or stop token id that ended it, or null (EOS or length)
 */
public record CompletionOutput(
    int index,
    String text,
    List<Integer> tokenIds,
    Double cumulativeLogprob,
    List<TokenLogprobs> logprobs,
    String finishReason,
    Object stopReason) {

  public boolean finished() {
    return finishReason != null;
  }
}

package dev.barista.server.api;

import java.util.List;
import java.util.Map;

/** The JSON shapes of /v1/completions (OpenAI's, plus vLLM's stop_reason and prompt_logprobs). */
public final class CompletionShapes {
  private CompletionShapes() {}

  /** A whole response (object "text_completion") or one streamed chunk of it (same object). */
  public record Response(String id, String object, long created, String model,
      List<Choice> choices, Usage usage) {}

  public record Choice(int index, String text, Logprobs logprobs, String finishReason,
      Object stopReason, List<Map<String, PromptLogprob>> promptLogprobs) {}

  /** The legacy logprobs object: parallel lists per token. */
  public record Logprobs(List<Integer> textOffset, List<Float> tokenLogprobs, List<String> tokens,
      List<Map<String, Float>> topLogprobs) {}

  /** vLLM's prompt_logprobs entry: {token_id: {logprob, rank, decoded_token}}. */
  public record PromptLogprob(float logprob, Integer rank, String decodedToken) {}
}

package dev.barista.engine.api;

import java.util.List;

/** A prompt: text to tokenize, or token ids as given (vLLM's TextPrompt / TokensPrompt). */
public record PromptInput(String text, List<Integer> tokenIds) {
  public PromptInput {
    if ((text == null) == (tokenIds == null)) {
      throw new InvalidParameterException("prompt", "exactly one of text or token ids is required");
    }
    tokenIds = tokenIds == null ? null : List.copyOf(tokenIds);
  }

  public static PromptInput text(String text) {
    return new PromptInput(text, null);
  }

  public static PromptInput tokens(List<Integer> tokenIds) {
    return new PromptInput(null, tokenIds);
  }
}

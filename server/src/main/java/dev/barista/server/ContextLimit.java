package dev.barista.server;

import dev.barista.server.api.ApiException;

/** Checks prompt plus output against the context, with the token counts in the message. */
public final class ContextLimit {
  private ContextLimit() {}

  /**
   * Returns the max_tokens to use: the requested one, or what is left of the context when null.
   *
   * @throws ApiException 400 when the prompt leaves no room or prompt + max_tokens exceeds it
   */
  public static int maxTokens(int promptTokens, Integer requested, int maxModelLen,
      String maxTokensField) {
    if (promptTokens >= maxModelLen) {
      throw ApiException.invalid("prompt", "This model's maximum context length is " + maxModelLen
          + " tokens. However, your prompt has " + promptTokens
          + " tokens, leaving no room for the completion. Please reduce the length of the prompt.");
    }
    if (requested == null) return maxModelLen - promptTokens;
    if ((long) promptTokens + requested > maxModelLen) {
      throw ApiException.invalid(maxTokensField, "This model's maximum context length is "
          + maxModelLen + " tokens. However, you requested " + ((long) promptTokens + requested)
          + " tokens (" + promptTokens + " in the messages, " + requested
          + " in the completion). Please reduce the length of the messages or completion.");
    }
    return requested;
  }
}

package dev.barista.server.api;

/** Token counts of a response. */
public record Usage(int promptTokens, int completionTokens, int totalTokens) {
  public static Usage of(int prompt, int completion) {
    return new Usage(prompt, completion, prompt + completion);
  }
}

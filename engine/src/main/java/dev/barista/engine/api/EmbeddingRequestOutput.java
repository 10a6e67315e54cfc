package dev.barista.engine.api;

import java.util.List;

/** vLLM's EmbeddingRequestOutput, as {@link LLM#embed} returns it. */
public record EmbeddingRequestOutput(String requestId, List<Integer> promptTokenIds, EmbeddingOutput outputs) {
  public EmbeddingRequestOutput {
    promptTokenIds = List.copyOf(promptTokenIds);
  }
}

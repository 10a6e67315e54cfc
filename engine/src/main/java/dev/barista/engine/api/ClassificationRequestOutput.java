package dev.barista.engine.api;

import java.util.List;

/** vLLM's ClassificationRequestOutput, as {@link LLM#classify} returns it. */
public record ClassificationRequestOutput(String requestId, List<Integer> promptTokenIds, ClassificationOutput outputs) {
  public ClassificationRequestOutput {
    promptTokenIds = List.copyOf(promptTokenIds);
  }
}

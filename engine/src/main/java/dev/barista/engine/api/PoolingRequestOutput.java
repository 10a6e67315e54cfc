package dev.barista.engine.api;

import java.util.List;

/** vLLM's PoolingRequestOutput, as {@link LLM#encode} returns it. */
public record PoolingRequestOutput(String requestId, List<Integer> promptTokenIds, PoolingOutput outputs) {
  public PoolingRequestOutput {
    promptTokenIds = List.copyOf(promptTokenIds);
  }
}

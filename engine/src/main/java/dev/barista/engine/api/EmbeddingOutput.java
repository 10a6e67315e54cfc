package dev.barista.engine.api;

/** vLLM's EmbeddingOutput: a unit-length embedding. */
public record EmbeddingOutput(float[] embedding) {
  /** The embedding's dimension (vLLM's hidden_size). */
  public int hiddenSize() {
    return embedding.length;
  }
}

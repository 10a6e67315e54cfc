package dev.barista.engine.config;

import java.util.List;

/**
 * Llama 4's chunked local attention: on the layers flagged in {@code layers} (layer_types
 * "chunked_attention"), the sequence is cut into {@code chunkSize}-token chunks aligned at position
 * 0 (attention_chunk_size), and a query sees only the keys of its own chunk up to itself. Unlike a
 * sliding window, the first query of each chunk sees itself alone.
 */
public record ChunkedAttention(int chunkSize, List<Boolean> layers) {
  public ChunkedAttention {
    if (chunkSize <= 0) throw new IllegalArgumentException("chunk size " + chunkSize + " must be positive");
    layers = List.copyOf(layers);
  }

  public boolean appliesTo(int layer) {
    return layers.get(layer);
  }
}

package dev.barista.engine.model;

import dev.barista.engine.config.GenerationConfig;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.WeightSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A model folder read for any backend: configs, architecture, and weights that stay mapped until
 * {@link #close()}.
 */
public record LoadedModel(
    ModelConfig config,
    GenerationConfig generationConfig,
    Architecture architecture,
    ModelWeights weights,
    WeightSource source) implements AutoCloseable {

  /** End-of-sequence ids from config.json and generation_config.json together. */
  public List<Integer> eosTokenIds() {
    Set<Integer> ids = new LinkedHashSet<>(config.eosTokenIds());
    ids.addAll(generationConfig.eosTokenIds());
    return List.copyOf(ids);
  }

  /** Each layer's attention window in tokens, 0 for full attention (architectures without windows: all 0). */
  public int[] layerWindows() {
    int[] windows = new int[config.numLayers()];
    for (int l = 0; l < windows.length; l++) windows[l] = architecture.slidingWindow() ? config.windowOf(l) : 0;
    return windows;
  }

  /** Each layer's span of visible keys: Llama 4's chunks, else the layer's window, else all. */
  public AttentionSpan[] layerSpans() {
    int[] windows = layerWindows();
    AttentionSpan[] spans = new AttentionSpan[windows.length];
    for (int l = 0; l < spans.length; l++) {
      boolean chunked = config.chunkedAttention() != null && config.chunkedAttention().appliesTo(l);
      spans[l] = chunked ? AttentionSpan.chunked(config.chunkedAttention().chunkSize())
          : windows[l] > 0 ? AttentionSpan.sliding(windows[l]) : AttentionSpan.FULL;
    }
    return spans;
  }

  @Override
  public void close() {
    source.close();
  }
}

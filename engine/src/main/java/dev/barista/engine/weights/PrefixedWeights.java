package dev.barista.engine.weights;

import java.util.List;

/**
 * The language model inside a multimodal checkpoint, under the names a text-only checkpoint uses:
 * model.X is read as language_model.model.X (and lm_head as language_model.lm_head: the hub's
 * layout, as transformers saves it), as model.language_model.X (transformers 4.5x's layout) or as
 * model.text_model.X (Idefics3, SmolVLM).
 */
public final class PrefixedWeights implements WeightSource {
  private record Layout(String model, String lmHead) {}

  private static final List<Layout> LAYOUTS = List.of(
      new Layout("language_model.model.", "language_model.lm_head."),
      new Layout("model.language_model.", "lm_head."),
      new Layout("model.text_model.", "lm_head.")); // Idefics3 / SmolVLM

  private final WeightSource source;
  private final Layout layout;

  private PrefixedWeights(WeightSource source, Layout layout) {
    this.source = source;
    this.layout = layout;
  }

  /** {@code source} itself for text checkpoints, else a view renaming its language model's tensors. */
  public static WeightSource languageModelOf(WeightSource source) {
    if (source.contains("model.embed_tokens.weight")) return source;
    for (Layout l : LAYOUTS) {
      if (source.contains(l.model() + "embed_tokens.weight")) return new PrefixedWeights(source, l);
    }
    return source;
  }

  private String rename(String name) {
    if (name.startsWith("model.")) return layout.model() + name.substring("model.".length());
    if (name.startsWith("lm_head.")) return layout.lmHead() + name.substring("lm_head.".length());
    return name;
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    return source.load(rename(name), expectedShape);
  }

  @Override
  public java.lang.foreign.MemorySegment loadBytes(String name, long... expectedShape) {
    return source.loadBytes(rename(name), expectedShape);
  }

  @Override
  public boolean contains(String name) {
    return source.contains(rename(name));
  }

  @Override
  public void close() {
    source.close();
  }
}

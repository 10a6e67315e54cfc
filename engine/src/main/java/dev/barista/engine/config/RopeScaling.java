package dev.barista.engine.config;

/**
 * How rotary embedding frequencies are rescaled for long contexts (config.json's rope_scaling or
 * rope_parameters). {@code RopeFrequencies} turns each kind into inverse frequencies, with the
 * semantics of Hugging Face transformers.
 */
public sealed interface RopeScaling {

  /**
   * The factor that multiplies both the rotated query and the rotated key (1 for most kinds); the
   * runners fold its square into the attention scale, which gives the same scores.
   */
  default double attentionFactor() {
    return 1.0;
  }

  /** Positions divided by {@code factor}. */
  record Linear(double factor) implements RopeScaling {}

  /**
   * Llama 3.1's scheme: a wavelength-dependent blend of the scaled and unscaled frequencies.
   *
   * @param originalMaxPositionEmbeddings the context length the model was trained at
   */
  record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
      implements RopeScaling {}

  /**
   * Dynamic NTK scaling. Transformers rescales only once a sequence grows past
   * max_position_embeddings, and the engine never lets one (max_model_len is capped there), so the
   * frequencies are the unscaled ones.
   */
  record DynamicNtk(double factor) implements RopeScaling {}

  /**
   * YaRN (arXiv 2309.00071): frequencies blended between extrapolation and interpolation by a
   * linear ramp over the dimensions, and an attention factor.
   *
   * @param attentionFactor resolved: the config's, or 0.1 ln(factor) + 1 (with mscale and
   *     mscale_all_dim, the ratio of the two such terms)
   * @param truncate whether the ramp's bounds are rounded to whole dimensions
   */
  record Yarn(double factor, int originalMaxPositionEmbeddings, double attentionFactor, double betaFast,
      double betaSlow, boolean truncate) implements RopeScaling {}

  /**
   * LongRoPE (Phi-3): per-pair rescale factors, one list for short contexts and one for long
   * ones. Transformers takes the long list once a sequence is longer than the original context;
   * Barista takes it for the positions from there on, so that a position is rotated the same way
   * in every batch (what batching and prefix caching need), which is transformers' result for
   * every sequence that fits the original context.
   *
   * @param attentionFactor resolved: the config's, or sqrt(1 + ln(factor) / ln(original)) where
   *     factor (config's, or max_position_embeddings / original) exceeds 1
   */
  record LongRope(double[] shortFactor, double[] longFactor, int originalMaxPositionEmbeddings,
      double attentionFactor) implements RopeScaling {}
}

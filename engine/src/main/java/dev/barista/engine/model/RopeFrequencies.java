package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.RopeScaling;

/**
 * Rotary embedding inverse frequencies (one per pair of rotated head dimensions: rotary_dim / 2), with the config's
 * scaling applied. Computed in double precision; both runners build their cos/sin from these.
 */
public final class RopeFrequencies {
  private RopeFrequencies() {}

  /**
   * The inverse frequencies of every position: those below {@code longFrom} take {@code table},
   * the others {@code longTable} (longrope only; otherwise longFrom is Integer.MAX_VALUE and
   * longTable null).
   */
  public record Rotary(double[] table, double[] longTable, int longFrom) {
    public double[] forPosition(int position) {
      return position >= longFrom ? longTable : table;
    }
  }

  public static Rotary rotary(ModelConfig c) {
    if (c.ropeScaling() instanceof RopeScaling.LongRope longRope) {
      return new Rotary(divided(unscaled(c), longRope.shortFactor()), divided(unscaled(c), longRope.longFactor()),
          longRope.originalMaxPositionEmbeddings());
    }
    return new Rotary(inverseFrequencies(c), null, Integer.MAX_VALUE);
  }

  /**
   * The rotary of {@code layer}: Gemma 3's sliding layers rotate with their own unscaled base
   * (ModelConfig.localRope), every other layer with {@link #rotary(ModelConfig)}.
   */
  public static Rotary rotaryOfLayer(ModelConfig c, int layer) {
    if (c.localRope() != null && c.localRope().appliesTo(layer)) {
      return new Rotary(unscaled(c.localRope().theta(), c.rotaryDim()), null, Integer.MAX_VALUE);
    }
    return rotary(c);
  }

  /** The frequencies of positions below a longrope switch (of every position for other kinds). */
  public static double[] inverseFrequencies(ModelConfig c) {
    double[] inv = unscaled(c);
    switch (c.ropeScaling()) {
      case null -> {}
      case RopeScaling.Linear linear -> {
        for (int i = 0; i < inv.length; i++) inv[i] /= linear.factor();
      }
      case RopeScaling.Llama3 llama3 -> applyLlama3(inv, llama3);
      case RopeScaling.DynamicNtk dynamic -> {} // unscaled within max_position_embeddings
      case RopeScaling.Yarn yarn -> applyYarn(inv, yarn, c.ropeTheta(), c.rotaryDim());
      case RopeScaling.LongRope longRope -> inv = divided(inv, longRope.shortFactor());
    }
    return inv;
  }

  private static double[] unscaled(ModelConfig c) {
    return unscaled(c.ropeTheta(), c.rotaryDim());
  }

  private static double[] unscaled(double theta, int headDim) {
    double[] inv = new double[headDim / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
    }
    return inv;
  }

  private static double[] divided(double[] inv, double[] factors) {
    double[] out = new double[inv.length];
    for (int i = 0; i < inv.length; i++) out[i] = inv[i] / factors[i];
    return out;
  }

  /**
   * The attention softmax scale: 1/sqrt(head_dim) (Granite: its attention_multiplier; Gemma 2 and
   * 3: query_pre_attn_scalar^-0.5), times the
   * square of the scaling's attention factor (transformers multiplies both cos and sin by it, so every score carries it twice),
   * and for DeepSeek's latent attention times the square of its softmax mscale.
   */
  public static double attentionScale(ModelConfig c) {
    double factor = c.ropeScaling() == null ? 1.0 : c.ropeScaling().attentionFactor();
    if (c.mla() != null) factor *= c.mla().softmaxMscale();
    double base = c.multipliers().attention() > 0 ? c.multipliers().attention() : 1 / Math.sqrt(c.headDim());
    return factor * factor * base;
  }

  /**
   * YaRN: dimensions that turn fewer than beta_slow times over the original context are
   * interpolated (divided by factor), those that turn more than beta_fast times are kept, and a
   * linear ramp over the dimension index blends the ones between.
   */
  private static void applyYarn(double[] inv, RopeScaling.Yarn s, double base, int dim) {
    double low = correctionDim(s.betaFast(), dim, base, s.originalMaxPositionEmbeddings());
    double high = correctionDim(s.betaSlow(), dim, base, s.originalMaxPositionEmbeddings());
    if (s.truncate()) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) high += 0.001; // as transformers does, to keep the ramp finite
    for (int i = 0; i < inv.length; i++) {
      double ramp = Math.clamp((i - low) / (high - low), 0.0, 1.0);
      double keep = 1 - ramp;
      inv[i] = inv[i] / s.factor() * (1 - keep) + inv[i] * keep;
    }
  }

  /** The dimension index whose frequency turns {@code rotations} times over {@code context} positions. */
  private static double correctionDim(double rotations, int dim, double base, int context) {
    return dim * Math.log(context / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
  }

  /**
   * Llama 3.1's scheme: wavelengths shorter than original/high_freq_factor are kept, longer than
   * original/low_freq_factor are divided by factor, and those between are blended smoothly.
   */
  private static void applyLlama3(double[] inv, RopeScaling.Llama3 s) {
    double original = s.originalMaxPositionEmbeddings();
    double lowWavelen = original / s.lowFreqFactor();
    double highWavelen = original / s.highFreqFactor();
    for (int i = 0; i < inv.length; i++) {
      double wavelen = 2 * Math.PI / inv[i];
      if (wavelen < highWavelen) continue;
      if (wavelen > lowWavelen) {
        inv[i] /= s.factor();
      } else {
        double smooth = (original / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
        inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
      }
    }
  }
}

package dev.barista.engine.config;

import dev.barista.engine.weights.DType;

/**
 * Attention with linear biases (ALiBi, Press et al. 2021), which takes the place of position
 * embeddings (Bloom, MPT, Falcon-RW): query head h at position i adds {@code slopes[h] * (j - i)} to
 * its score on key position j (j <= i), so attention fades linearly with distance. transformers adds
 * {@code slopes[h] * j} instead, which gives the same softmax: the two differ by a constant per
 * query row.
 *
 * @param slopes one per query head, positive
 * @param scaledBySoftmaxScale whether the bias joins the raw q·k product before the softmax scale
 *     multiplies it (Falcon), or the already scaled scores (Bloom, MPT)
 */
public record Alibi(double[] slopes, boolean scaledBySoftmaxScale) {
  /** The paper's maximum bias: the smallest slope of a power-of-two head count is 2^-8. */
  public static final double DEFAULT_MAX_BIAS = 8;

  public Alibi {
    slopes = slopes.clone();
  }

  /**
   * The slopes for {@code heads} heads. With P the head count rounded up to a power of two, slope i
   * (1-based) of P heads is 2^(-i * maxBias / P); for P heads that is all of them, otherwise the even
   * i come first and the odd i fill the remaining heads. With maxBias 8 this is the paper's rule (a
   * power of two n: 2^(-8i/n); otherwise the slopes of the power of two below, then every other
   * slope of twice as many heads), which Bloom and Falcon use; MPT states maxBias as alibi_bias_max.
   */
  public static double[] slopes(int heads, double maxBias) {
    if (heads < 1 || !(maxBias > 0)) throw new IllegalArgumentException(heads + " heads, maximum bias " + maxBias);
    int padded = Integer.bitCount(heads) == 1 ? heads : Integer.highestOneBit(heads) << 1;
    int step = padded == heads ? 1 : 2;
    double[] slopes = new double[heads];
    int h = 0;
    for (int i = step; i <= padded; i += step) slopes[h++] = Math.pow(2, -i * maxBias / padded);
    for (int i = 1; h < heads; i += 2) slopes[h++] = Math.pow(2, -i * maxBias / padded);
    return slopes;
  }

  /** The same slopes rounded to bfloat16, as Falcon's modeling code rounds them before use. */
  public static double[] roundedToBf16(double[] slopes) {
    double[] rounded = new double[slopes.length];
    for (int h = 0; h < slopes.length; h++) rounded[h] = DType.BF16.round((float) slopes[h]);
    return rounded;
  }

  /**
   * Each head's slope on scores already multiplied by {@code softmaxScale}: the slope itself, or
   * times the scale where the bias joins the raw product. A runner adds {@code scoreSlopes[h] *
   * (keyPosition - queryPosition)} to each scaled score.
   */
  public double[] scoreSlopes(double softmaxScale) {
    double[] out = slopes.clone();
    if (scaledBySoftmaxScale) {
      for (int h = 0; h < out.length; h++) out[h] *= softmaxScale;
    }
    return out;
  }
}

package dev.barista.engine.cpu;

import dev.barista.engine.model.RopeFrequencies;

/**
 * Rotary position embedding in Hugging Face's "rotate half" layout over the first rotary_dim
 * dimensions of each head (or those from a given offset) (all of them but for partial rotary models such as GPT-NeoX and Phi):
 * dimension i pairs with i + rotary_dim/2, rotated by position * invFreq[i] (the position's table: see
 * {@link RopeFrequencies.Rotary}). Angles are computed in double, once per
 * position: a table of cos/sin grows with the longest position seen, so the 2 x layers calls of a
 * step (queries and keys of every layer) do no trigonometry.
 */
final class Rope {
  private final RopeFrequencies.Rotary frequencies;
  private final int headDim;
  private final int half;
  /** cos and sin of position p's angles at [p * half, (p + 1) * half). */
  private float[] cos = new float[0];
  private float[] sin = new float[0];

  private final boolean interleaved;
  private final int rotaryOffset;

  Rope(RopeFrequencies.Rotary frequencies, int headDim) {
    this(frequencies, headDim, false, 0);
  }

  /**
   * @param interleaved GPT-J's layout: pair i is dimensions 2i and 2i + 1
   * @param rotaryOffset where the rotated dimensions start in each head: 0, but for DeepSeek's
   *     latent attention, whose heads rotate their last qk_rope_head_dim dimensions
   */
  Rope(RopeFrequencies.Rotary frequencies, int headDim, boolean interleaved, int rotaryOffset) {
    this.frequencies = frequencies;
    this.headDim = headDim;
    this.half = frequencies.table().length; // rotary_dim / 2
    this.interleaved = interleaved;
    this.rotaryOffset = rotaryOffset;
  }

  /** Rotates every head of every token in {@code x} ([tokens][heads * headDim]) in place. */
  void apply(float[] x, int tokens, int heads, int[] positions) {
    for (int t = 0; t < tokens; t++) cover(positions[t]);
    float[] cos = this.cos;
    float[] sin = this.sin;
    for (int t = 0; t < tokens; t++) {
      int c = positions[t] * half;
      for (int h = 0; h < heads; h++) {
        int off = (t * heads + h) * headDim + rotaryOffset;
        int second = interleaved ? 1 : half; // where pair i's second dimension lies, from its first
        for (int i = 0; i < half; i++) {
          int first = off + (interleaved ? 2 * i : i);
          float a = x[first];
          float b = x[first + second];
          x[first] = a * cos[c + i] - b * sin[c + i];
          x[first + second] = b * cos[c + i] + a * sin[c + i];
        }
      }
    }
  }

  /** Extends the tables to include {@code position} (doubling, so growth is amortized). */
  private void cover(int position) {
    int have = cos.length / Math.max(1, half);
    if (position < have) return;
    int positions = Math.max(position + 1, Math.max(64, 2 * have));
    float[] c = java.util.Arrays.copyOf(cos, positions * half);
    float[] s = java.util.Arrays.copyOf(sin, positions * half);
    for (int p = have; p < positions; p++) {
      double[] invFreq = frequencies.forPosition(p);
      for (int i = 0; i < half; i++) {
        double angle = p * invFreq[i];
        c[p * half + i] = (float) Math.cos(angle);
        s[p * half + i] = (float) Math.sin(angle);
      }
    }
    cos = c;
    sin = s;
  }
}

package dev.barista.engine.cpu;

/**
 * Rotary position embedding in Hugging Face's "rotate half" layout: dimension i pairs with
 * i + headDim/2, rotated by position * invFreq[i]. Angles are computed in double.
 */
final class Rope {
  private final double[] invFreq;
  private final int headDim;

  Rope(double[] invFreq, int headDim) {
    this.invFreq = invFreq;
    this.headDim = headDim;
  }

  /** Rotates every head of every token in {@code x} ([tokens][heads * headDim]) in place. */
  void apply(float[] x, int tokens, int heads, int[] positions) {
    int half = headDim / 2;
    float[] cos = new float[half];
    float[] sin = new float[half];
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < half; i++) {
        double angle = positions[t] * invFreq[i];
        cos[i] = (float) Math.cos(angle);
        sin[i] = (float) Math.sin(angle);
      }
      for (int h = 0; h < heads; h++) {
        int off = (t * heads + h) * headDim;
        for (int i = 0; i < half; i++) {
          float a = x[off + i];
          float b = x[off + i + half];
          x[off + i] = a * cos[i] - b * sin[i];
          x[off + i + half] = b * cos[i] + a * sin[i];
        }
      }
    }
  }
}

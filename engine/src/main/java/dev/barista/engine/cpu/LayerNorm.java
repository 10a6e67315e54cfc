package dev.barista.engine.cpu;

/**
 * LayerNorm (OPT, GPT-2): (x - mean(x)) / sqrt(var(x) + eps) * weight + bias, over consecutive
 * vectors of width {@code dim}; statistics in double.
 */
final class LayerNorm {
  private LayerNorm() {}

  /** Normalizes {@code count} vectors of {@code dim} from {@code in} into {@code out} (may alias). */
  static void apply(float[] in, float[] out, int count, int dim, float[] weight, float[] bias, double eps) {
    for (int v = 0; v < count; v++) {
      int off = v * dim;
      double sum = 0;
      for (int i = 0; i < dim; i++) sum += in[off + i];
      double mean = sum / dim;
      double ss = 0;
      for (int i = 0; i < dim; i++) {
        double d = in[off + i] - mean;
        ss += d * d;
      }
      double inv = 1.0 / Math.sqrt(ss / dim + eps);
      for (int i = 0; i < dim; i++) out[off + i] = (float) ((in[off + i] - mean) * inv) * weight[i] + bias[i];
    }
  }
}

package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.RopeScaling;

/**
 * Rotary embedding inverse frequencies (one per pair of head dimensions), with the config's
 * scaling applied. Computed in double precision; both runners build their cos/sin from these.
 */
public final class RopeFrequencies {
  private RopeFrequencies() {}

  public static double[] inverseFrequencies(ModelConfig c) {
    int half = c.headDim() / 2;
    double[] inv = new double[half];
    for (int i = 0; i < half; i++) {
      inv[i] = 1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.headDim());
    }
    RopeScaling s = c.ropeScaling();
    if (s == null) return inv;
    switch (s.type()) {
      case "linear" -> {
        for (int i = 0; i < half; i++) inv[i] /= s.factor();
      }
      case "llama3" -> applyLlama3(inv, s);
      default -> throw new IllegalStateException("unhandled rope scaling " + s.type());
    }
    return inv;
  }

  /**
   * Llama 3.1's scheme: wavelengths shorter than original/high_freq_factor are kept, longer than
   * original/low_freq_factor are divided by factor, and those between are blended smoothly.
   */
  private static void applyLlama3(double[] inv, RopeScaling s) {
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

package dev.barista.engine.cpu;

/** The gated MLP's activation: gate = silu(gate) * up, elementwise. */
final class SiluMul {
  private SiluMul() {}

  static void apply(float[] gate, float[] up, int n) {
    for (int i = 0; i < n; i++) {
      float g = gate[i];
      gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
    }
  }
}

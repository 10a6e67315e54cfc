package dev.barista.engine.cpu;

import dev.barista.engine.config.Activation;
import dev.barista.engine.config.SwigluClamp;
import dev.barista.engine.simd.Lanes;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The gated MLP's activation, in place: gate = act(gate) * up. SiLU is x / (1 + exp(-x)); the tanh
 * GELU, 0.5x(1 + tanh(u)) with u = sqrt(2/pi)(x + 0.044715x^3), is the same shape, x / (1 + exp(-2u)).
 */
final class GatedActivation {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

  private GatedActivation() {}

  /** gate = act(gate) * up; with {@code up} null, gate = act(gate) (an ungated MLP). */
  static void apply(Activation activation, float[] gate, float[] up, int n) {
    switch (activation) {
      case SILU -> sigmoidGated(gate, up, n, false);
      case GELU_TANH -> sigmoidGated(gate, up, n, true);
      case GELU, RELU, RELU2 -> {
        for (int i = 0; i < n; i++) gate[i] = (float) (activation.of(gate[i]) * (up == null ? 1 : up[i]));
      }
    }
  }

  /**
   * GPT-OSS's expert activation, in place: gate = g sigmoid(alpha g) (u + 1) with g the gate clamped
   * to at most the limit and u the up value clamped to [-limit, limit].
   */
  static void applyClamped(SwigluClamp clamp, float[] gate, float[] up, int n) {
    float limit = (float) clamp.limit();
    float alpha = (float) clamp.alpha();
    for (int i = 0; i < n; i++) {
      float g = Math.min(gate[i], limit);
      float u = Math.clamp(up[i], -limit, limit);
      gate[i] = g / (1f + (float) Math.exp(-alpha * g)) * (u + 1f);
    }
  }

  /** gate = gate / (1 + exp(-z)) * up (up null: 1), z = gate (SiLU) or 2u (tanh GELU). */
  private static void sigmoidGated(float[] gate, float[] up, int n, boolean gelu) {
    int i = 0;
    for (int end = FS.loopBound(n); i < end; i += FS.length()) {
      FloatVector g = FloatVector.fromArray(FS, gate, i);
      FloatVector z = gelu ? g.mul(g).mul(0.044715f).add(1f).mul(g).mul(2 * SQRT_2_OVER_PI) : g;
      FloatVector sig = Lanes.exp(z.neg()).add(1f);
      FloatVector act = g.div(sig);
      (up == null ? act : act.mul(FloatVector.fromArray(FS, up, i))).intoArray(gate, i);
    }
    for (; i < n; i++) {
      float g = gate[i];
      float z = gelu ? 2 * SQRT_2_OVER_PI * (g + 0.044715f * g * g * g) : g;
      gate[i] = g / (1f + (float) Math.exp(-z)) * (up == null ? 1f : up[i]);
    }
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.config.Activation;
import dev.barista.engine.config.SwigluClamp;
import org.junit.jupiter.api.Test;

/** The MLP activations against their closed forms and tabulated values. */
class GatedActivationTest {
  @Test
  void erfMatchesTabulatedValues() {
    // Abramowitz and Stegun, table 7.1
    assertEquals(0.5204998778130465, Activation.erf(0.5), 1e-13);
    assertEquals(0.8427007929497149, Activation.erf(1.0), 1e-13);
    assertEquals(0.9999779095030014, Activation.erf(3.0), 1e-13);
    assertEquals(-0.8427007929497149, Activation.erf(-1.0), 1e-13);
  }

  @Test
  void everyActivationMatchesItsFormulaOnBothTheVectorAndTheScalarPath() {
    int n = 37; // a vector body and a scalar tail
    for (Activation a : Activation.values()) {
      float[] gate = new float[n];
      float[] up = new float[n];
      for (int i = 0; i < n; i++) {
        gate[i] = -9f + i * 0.5f;
        up[i] = 0.25f + i * 0.01f;
      }
      float[] expected = new float[n];
      for (int i = 0; i < n; i++) {
        double x = gate[i];
        double act = switch (a) {
          case SILU -> x / (1 + Math.exp(-x));
          case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
          case GELU -> 0.5 * x * (1 + Activation.erf(x / Math.sqrt(2)));
          case RELU -> Math.max(x, 0);
          case RELU2 -> x > 0 ? x * x : 0;
        };
        assertEquals(act, a.of(x), 1e-12 * Math.max(1, Math.abs(act)));
        expected[i] = (float) (act * up[i]);
      }
      float[] ungated = gate.clone();
      GatedActivation.apply(a, gate, up, n);
      GatedActivation.apply(a, ungated, null, n);
      for (int i = 0; i < n; i++) {
        assertEquals(expected[i], gate[i], 2e-6 * Math.max(1, Math.abs(expected[i])), a + " at " + i);
        assertEquals(expected[i] / up[i], ungated[i], 2e-6 * Math.max(1, Math.abs(expected[i] / up[i])),
            a + " ungated at " + i);
      }
    }
  }

  @Test
  void gptOssClampedSwigluClampsGateAboveAndUpBothWays() {
    SwigluClamp clamp = new SwigluClamp(1.702, 7.0);
    float[] gate = {0f, 1f, 10f, -1f, -20f};
    float[] up = {5f, 0f, 10f, -9f, 0f};
    // g sigmoid(1.702 g) (u + 1), g = min(gate, 7), u = clamp(up, -7, 7); sigmoid(1.702) = 0.8457958...
    double[] expected = {
        0, // a zero gate
        1 * 0.8457958 * 1, // nothing clamped: sigmoid(1.702) = 1 / (1 + e^-1.702)
        7 * 0.9999933 * 8, // both clamped to 7: sigmoid(11.914)
        -1 * 0.1542042 * -6, // up clamped to -7
        -20 * 1.6e-15 * 1}; // the gate has no lower clamp: sigmoid(-34.04) ~ 1.6e-15, so ~ 0
    for (int i = 0; i < gate.length; i++) assertEquals(expected[i], clamp.of(gate[i], up[i]), 1e-5);
    GatedActivation.applyClamped(clamp, gate, up, gate.length);
    for (int i = 0; i < gate.length; i++) assertEquals(expected[i], gate[i], 1e-5);
  }
}

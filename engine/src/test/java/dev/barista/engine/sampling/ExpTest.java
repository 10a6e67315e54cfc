package dev.barista.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExpTest {
  /** The order the total must have on every host: float lane i mod 16, the lanes added in double in order. */
  static double sixteenLaneTotal(float[] e) {
    float[] lanes = new float[16];
    for (int i = 0; i < e.length; i++) lanes[i % 16] += e[i];
    double sum = 0;
    for (float l : lanes) sum += l;
    return sum;
  }

  @Test
  void totalIsSummedInSixteenLogicalLanesWhateverTheVectorWidth() {
    Random rnd = new Random(4);
    for (int n : new int[] {151936, 1000, 37, 16, 3}) {
      float[] logits = new float[n];
      float max = Float.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) max = Math.max(max, logits[i] = (float) (rnd.nextGaussian() * 3));
      float[] out = new float[n];
      double total = Exp.shifted(logits, max, out);
      assertEquals(sixteenLaneTotal(out), total, 0.0, "n = " + n);
      for (int i = 0; i < n; i++) assertEquals(Math.exp(logits[i] - max), out[i], 1e-6 * Math.exp(logits[i] - max) + 1e-30);
    }
  }
}

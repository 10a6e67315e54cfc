package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.barista.engine.config.GroupedTopK;
import org.junit.jupiter.api.Test;

/** The noaux_tc router on a case worked out by hand. */
class GroupedTopKRouterTest {
  // sigmoid scores of the 8 experts (groups of two: {0,1} {2,3} {4,5} {6,7})
  private static final double[] SCORES = {0.9, 0.2, 0.5, 0.4, 0.8, 0.2, 0.2, 0.2};
  // choice scores = scores + bias: 0.9 0.2 | 0.5 0.4 | 0.8 0.2 | 0.7 0.6, so the groups score
  // 1.1, 0.9, 1.0 and 1.3 (sum of their best two), and groups 3 and 0 are kept
  private static final float[] BIAS = {0, 0, 0, 0, 0, 0, 0.5f, 0.4f};

  @Test
  void choosesByBiasedScoresWithinTheBestGroupsAndWeighsByUnbiasedOnes() {
    // expert 4 (choice 0.8) lies in a dropped group, so experts 0 (0.9) and 6 (0.7) are chosen;
    // weights 0.9 and 0.2, renormalised over their sum 1.1, times the scaling factor 2
    float[] weight = route(true);
    assertArrayEquals(new float[] {(float) (2 * 0.9 / 1.1), 0, 0, 0, 0, 0, (float) (2 * 0.2 / 1.1), 0}, weight, 1e-6f);
  }

  @Test
  void withoutRenormalisingTheScoresAreOnlyScaled() {
    assertArrayEquals(new float[] {1.8f, 0, 0, 0, 0, 0, 0.4f, 0}, route(false), 1e-6f);
  }

  private static float[] route(boolean normalize) {
    float[] logits = new float[SCORES.length];
    for (int e = 0; e < logits.length; e++) logits[e] = (float) Math.log(SCORES[e] / (1 - SCORES[e]));
    float[] weight = new float[logits.length];
    GroupedTopKRouter.route(logits, 0, logits.length, 2, normalize, new GroupedTopK(4, 2, 2.0), BIAS, weight);
    return weight;
  }
}

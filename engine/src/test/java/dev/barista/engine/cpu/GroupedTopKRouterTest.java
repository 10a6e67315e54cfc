package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.barista.engine.config.GroupedTopK;
import org.junit.jupiter.api.Test;

/** The grouped routers on cases worked out by hand. */
class GroupedTopKRouterTest {
  // sigmoid scores of the 8 experts (groups of two: {0,1} {2,3} {4,5} {6,7})
  private static final double[] SCORES = {0.9, 0.2, 0.5, 0.4, 0.8, 0.2, 0.2, 0.2};
  // choice scores = scores + bias: 0.9 0.2 | 0.5 0.4 | 0.8 0.2 | 0.7 0.6, so the groups score
  // 1.1, 0.9, 1.0 and 1.3 (sum of their best two), and groups 3 and 0 are kept
  private static final float[] BIAS = {0, 0, 0, 0, 0, 0, 0.5f, 0.4f};

  // softmax probabilities of 8 experts (groups of two as above); they sum to 1. The groups' best
  // probabilities are 0.20, 0.25, 0.21 and 0.14, so group_limited_greedy keeps groups 1 and 2;
  // group 0's second expert (0.19) would beat group 2's 0.21 by the top-two sum but does not count.
  private static final double[] PROBABILITIES = {0.20, 0.19, 0.25, 0.01, 0.21, 0.00, 0.14, 0.00};

  @Test
  void choosesByBiasedScoresWithinTheBestGroupsAndWeighsByUnbiasedOnes() {
    // expert 4 (choice 0.8) lies in a dropped group, so experts 0 (0.9) and 6 (0.7) are chosen;
    // weights 0.9 and 0.2, renormalised over their sum 1.1, times the scaling factor 2
    float[] weight = noauxTc(true);
    assertArrayEquals(new float[] {(float) (2 * 0.9 / 1.1), 0, 0, 0, 0, 0, (float) (2 * 0.2 / 1.1), 0}, weight, 1e-6f);
  }

  @Test
  void withoutRenormalisingTheScoresAreOnlyScaled() {
    assertArrayEquals(new float[] {1.8f, 0, 0, 0, 0, 0, 0.4f, 0}, noauxTc(false), 1e-6f);
  }

  @Test
  void groupLimitedGreedyRanksGroupsByTheirBestProbability() {
    // groups 1 and 2 kept: experts 2 (0.25) and 4 (0.21) win over expert 0 (0.20) of dropped group 0;
    // their probabilities times routed_scaling_factor 1.5, not renormalised
    float[] weight = greedy(4, 2);
    assertArrayEquals(new float[] {0, 0, 1.5f * 0.25f, 0, 1.5f * 0.21f, 0, 0, 0}, weight, 1e-5f);
  }

  @Test
  void greedyIsThePlainTopKOfTheSoftmax() {
    // one group: experts 2 (0.25) and 4 (0.21)
    assertArrayEquals(new float[] {0, 0, 1.5f * 0.25f, 0, 1.5f * 0.21f, 0, 0, 0}, greedy(1, 1), 1e-5f);
  }

  @Test
  void groupLimitedGreedyTakesTheTopKAcrossTheKeptGroups() {
    // keeping groups 1, 2 and 0, the top three are experts 2, 4 and 0
    assertArrayEquals(new float[] {1.5f * 0.20f, 0, 1.5f * 0.25f, 0, 1.5f * 0.21f, 0, 0, 0}, greedy(4, 3, 3), 1e-5f);
  }

  private static float[] noauxTc(boolean normalize) {
    float[] logits = new float[SCORES.length];
    for (int e = 0; e < logits.length; e++) logits[e] = (float) Math.log(SCORES[e] / (1 - SCORES[e]));
    float[] weight = new float[logits.length];
    GroupedTopKRouter.route(logits, 0, logits.length, 2, normalize, GroupedTopK.noauxTc(4, 2, 2.0), BIAS, weight);
    return weight;
  }

  private static float[] greedy(int groups, int keptGroups) {
    return greedy(groups, keptGroups, 2);
  }

  /** Routes logits whose softmax is PROBABILITIES (log p, with -30 standing in for a probability of 0). */
  private static float[] greedy(int groups, int keptGroups, int topK) {
    float[] logits = new float[PROBABILITIES.length];
    for (int e = 0; e < logits.length; e++) {
      logits[e] = PROBABILITIES[e] == 0 ? -30f : (float) Math.log(PROBABILITIES[e]);
    }
    float[] weight = new float[logits.length];
    GroupedTopKRouter.route(logits, 0, logits.length, topK, false,
        GroupedTopK.groupLimitedGreedy(groups, keptGroups, 1.5), null, weight);
    return weight;
  }
}

package dev.barista.engine.cpu;

import dev.barista.engine.config.ExpertScoring;
import dev.barista.engine.config.GroupRanking;
import dev.barista.engine.config.GroupedTopK;

/**
 * The group-limited router of DeepSeek-V2, DeepSeek-V3 and GLM-4.5 ({@link GroupedTopK}) for one
 * token. Among equal scores the lower index wins, groups and experts alike. Experts outside the kept
 * groups are never chosen (transformers zeroes their choice scores instead, which differs only where
 * every eligible choice score is negative, as corrected sigmoid scores can be).
 */
final class GroupedTopKRouter {
  /** transformers' guard against an all-zero sum when renormalising. */
  private static final double NORMALIZE_EPSILON = 1e-20;

  private GroupedTopKRouter() {}

  /**
   * Writes the routing weights of the token whose router logits start at {@code logits[off]} into
   * {@code weight[off..off + experts)}: 0 for experts not chosen.
   *
   * @param bias the per-expert correction added to the scores for choosing only; null where the
   *     router has none
   */
  static void route(float[] logits, int off, int experts, int topK, boolean normalize, GroupedTopK g, float[] bias,
      float[] weight) {
    double[] score = scores(logits, off, experts, g.scoring());
    double[] choice = score.clone();
    if (bias != null) {
      for (int e = 0; e < experts; e++) choice[e] += bias[e];
    }
    boolean[] eligible = keptGroups(choice, g);
    boolean[] taken = new boolean[experts];
    double sum = 0;
    for (int k = 0; k < topK; k++) {
      int best = -1;
      for (int e = 0; e < experts; e++) {
        if (eligible[e] && !taken[e] && (best < 0 || choice[e] > choice[best])) best = e;
      }
      taken[best] = true;
      sum += score[best];
    }
    double divisor = normalize ? sum + NORMALIZE_EPSILON : 1;
    for (int e = 0; e < experts; e++) {
      weight[off + e] = taken[e] ? (float) (score[e] / divisor * g.routedScalingFactor()) : 0f;
    }
  }

  private static double[] scores(float[] logits, int off, int experts, ExpertScoring scoring) {
    double[] score = new double[experts];
    if (scoring == ExpertScoring.SIGMOID) {
      for (int e = 0; e < experts; e++) score[e] = 1 / (1 + Math.exp(-logits[off + e]));
      return score;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < experts; e++) max = Math.max(max, logits[off + e]);
    double sum = 0;
    for (int e = 0; e < experts; e++) sum += score[e] = Math.exp(logits[off + e] - max);
    for (int e = 0; e < experts; e++) score[e] /= sum;
    return score;
  }

  /** Per expert, whether its group is among the topKGroups best by {@link GroupedTopK#ranking()}. */
  private static boolean[] keptGroups(double[] choice, GroupedTopK g) {
    int perGroup = choice.length / g.groups();
    double[] groupScore = new double[g.groups()];
    for (int gi = 0; gi < g.groups(); gi++) {
      double first = Double.NEGATIVE_INFINITY;
      double second = Double.NEGATIVE_INFINITY;
      for (int e = gi * perGroup; e < (gi + 1) * perGroup; e++) {
        if (choice[e] > first) {
          second = first;
          first = choice[e];
        } else if (choice[e] > second) {
          second = choice[e];
        }
      }
      // a group of one expert has no second (the parser allows that for the top-two sum only as a single group,
      // where the ranking does not matter)
      groupScore[gi] = g.ranking() == GroupRanking.TOP_TWO_SUM && perGroup > 1 ? first + second : first;
    }
    boolean[] keptGroup = new boolean[g.groups()];
    for (int k = 0; k < g.topKGroups(); k++) {
      int best = -1;
      for (int gi = 0; gi < g.groups(); gi++) {
        if (!keptGroup[gi] && (best < 0 || groupScore[gi] > groupScore[best])) best = gi;
      }
      keptGroup[best] = true;
    }
    boolean[] eligible = new boolean[choice.length];
    for (int e = 0; e < choice.length; e++) eligible[e] = keptGroup[e / perGroup];
    return eligible;
  }
}

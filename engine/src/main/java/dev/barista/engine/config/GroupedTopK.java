package dev.barista.engine.config;

/**
 * The group-limited top-k router of DeepSeek-V2, DeepSeek-V3, GLM-4.5 and dots.llm1, and ERNIE 4.5
 * MoE's corrected softmax (one group). Each expert gets a score
 * from its router logit ({@code scoring}); where {@code scoreCorrection}, a per-expert correction
 * bias (e_score_correction_bias) shifts the scores for choosing only. The experts form {@code
 * groups} equal groups ranked by {@code ranking} of their choice scores; the best {@code
 * topKGroups} groups stay eligible and the top-k eligible experts by choice score are taken,
 * weighted by their uncorrected scores (renormalised where {@link Moe#normalizeTopK()}) times
 * {@code routedScalingFactor}. DeepSeek-V2's plain "greedy" top-k is one group.
 *
 * @param groups n_group
 * @param topKGroups topk_group
 * @param routedScalingFactor routed_scaling_factor
 */
public record GroupedTopK(ExpertScoring scoring, GroupRanking ranking, boolean scoreCorrection, int groups,
    int topKGroups, double routedScalingFactor) {

  /** DeepSeek-V3's and GLM-4.5's "noaux_tc": sigmoid scores, corrected, groups ranked by their top two. */
  public static GroupedTopK noauxTc(int groups, int topKGroups, double routedScalingFactor) {
    return new GroupedTopK(ExpertScoring.SIGMOID, GroupRanking.TOP_TWO_SUM, true, groups, topKGroups,
        routedScalingFactor);
  }

  /**
   * ERNIE 4.5 MoE's router: softmax scores, which its moe_statics.e_score_correction_bias corrects
   * for choosing; one group, unscaled.
   */
  public static GroupedTopK correctedSoftmax() {
    return new GroupedTopK(ExpertScoring.SOFTMAX, GroupRanking.BEST_EXPERT, true, 1, 1, 1.0);
  }

  /** DeepSeek-V2's "group_limited_greedy" (one group: "greedy"): softmax scores, groups ranked by their best. */
  public static GroupedTopK groupLimitedGreedy(int groups, int topKGroups, double routedScalingFactor) {
    return new GroupedTopK(ExpertScoring.SOFTMAX, GroupRanking.BEST_EXPERT, false, groups, topKGroups,
        routedScalingFactor);
  }
}

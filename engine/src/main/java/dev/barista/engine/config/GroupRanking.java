package dev.barista.engine.config;

/** What ranks a grouped router's expert groups against each other. */
public enum GroupRanking {
  /** DeepSeek-V2's group_limited_greedy: the group's best expert score. */
  BEST_EXPERT,
  /** DeepSeek-V3's noaux_tc: the sum of the group's two best choice scores. */
  TOP_TWO_SUM
}

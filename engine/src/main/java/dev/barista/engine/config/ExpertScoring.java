package dev.barista.engine.config;

/** How a grouped router turns each expert's router logit into its score (scoring_func). */
public enum ExpertScoring {
  /** DeepSeek-V2's and ERNIE 4.5 MoE's: the softmax over all routed experts' logits. */
  SOFTMAX,
  /** DeepSeek-V3's and GLM-4.5's: each logit's own sigmoid. */
  SIGMOID
}

package dev.barista.engine.config;

/**
 * DeepSeek-V3's "noaux_tc" routing, which GLM-4.5 shares: each expert scores sigmoid(its router
 * logit); a per-expert correction bias shifts the scores only for choosing. The experts form
 * {@code groups} equal groups, each ranked by the sum of its two best choice scores; the best
 * {@code topKGroups} groups stay eligible and the top-k eligible experts by choice score are taken,
 * weighted by their unbiased scores (renormalised where {@link Moe#normalizeTopK()}) times
 * {@code routedScalingFactor}.
 *
 * @param groups n_group
 * @param topKGroups topk_group
 * @param routedScalingFactor routed_scaling_factor
 */
public record GroupedTopK(int groups, int topKGroups, double routedScalingFactor) {}

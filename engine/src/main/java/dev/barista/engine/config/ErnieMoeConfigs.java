package dev.barista.engine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * ERNIE 4.5 MoE's mixture as its config states it, with transformers' defaults: moe_num_experts
 * (64) gated experts of moe_intermediate_size (1536), moe_k (6) of them per token, and
 * moe_num_shared_experts (2) folded into one ungated shared expert. Layer l is sparse where
 * (l + 1) is a multiple of moe_layer_interval (1) and l lies from moe_layer_start_index (1) to
 * moe_layer_end_index (-1: the last layer).
 */
final class ErnieMoeConfigs {
  static final String BODY = "Ernie4_5_MoeForCausalLM";

  private ErnieMoeConfigs() {}

  static Moe moe(ConfigJson json, int layers) {
    if (json.optionalBoolean("use_bias", false)) {
      // its experts would carry biases, which the mixture's experts do not take
      throw new InvalidConfigException(json.file() + ": use_bias true is not supported for ERNIE 4.5 MoE");
    }
    int experts = json.optionalInt("moe_num_experts", 64);
    int topK = json.optionalInt("moe_k", 6);
    if (experts < 1 || topK < 1 || topK > experts) {
      throw new InvalidConfigException(json.file() + ": moe_k " + topK + " must be between 1 and the " + experts
          + " experts of moe_num_experts");
    }
    int expertWidth = json.optionalInt("moe_intermediate_size", 1536);
    int shared = json.optionalInt("moe_num_shared_experts", 2);
    int interval = json.optionalInt("moe_layer_interval", 1);
    int start = json.optionalInt("moe_layer_start_index", 1);
    int end = json.optionalInt("moe_layer_end_index", -1);
    if (end == -1) end = layers - 1;
    if (expertWidth < 1 || shared < 0 || interval < 1) {
      throw new InvalidConfigException(json.file() + ": moe_intermediate_size and moe_layer_interval must be positive"
          + " and moe_num_shared_experts not negative, got " + expertWidth + ", " + interval + " and " + shared);
    }
    double normMin = json.optionalDouble("moe_norm_min", 1e-12);
    if (!(normMin > 0 && normMin <= 1e-6)) {
      // the router divides by sum + 1e-20 rather than max(sum, moe_norm_min): equal wherever the
      // chosen probabilities sum to moe_norm_min or more, which a floor this small leaves to no real token
      throw new InvalidConfigException(json.file() + ": moe_norm_min " + normMin
          + " is not supported (positive, at most 1e-6)");
    }
    List<Boolean> sparse = new ArrayList<>();
    for (int l = 0; l < layers; l++) sparse.add((l + 1) % interval == 0 && l >= start && l <= end);
    return new Moe(experts, topK, expertWidth, true, expertWidth * shared, sparse, GroupedTopK.correctedSoftmax(),
        null);
  }
}

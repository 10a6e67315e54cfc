package dev.barista.engine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What a Llama 4 text config says, with transformers' defaults (Llama4TextConfig): which layers are
 * mixtures (moe_layers, else every interleave_moe_layer_step-th), which attend in chunks
 * (layer_types, else the rotating ones), and the query temperature of the layers that do not rotate.
 * Its NoPE layers are read like SmolLM3's (no_rope_layers, no_rope_layer_interval).
 */
final class Llama4Configs {
  private Llama4Configs() {}

  static boolean is(String body) {
    return body.equals("Llama4ForCausalLM");
  }

  /** The dense layers' MLP width: intermediate_size_mlp (intermediate_size is the experts'). */
  static int denseIntermediate(ConfigJson json) {
    return json.optionalInt("intermediate_size_mlp", 16384);
  }

  /**
   * The experts (num_local_experts of intermediate_size, num_experts_per_tok a token) with a shared
   * expert as wide, on the layers moe_layers lists, else layers step - 1, 2 step - 1, ... for
   * interleave_moe_layer_step.
   */
  static Moe moe(ConfigJson json, int layers) {
    int experts = json.optionalInt("num_local_experts", 16);
    int topK = json.optionalInt("num_experts_per_tok", 1);
    if (experts < 1 || topK < 1 || topK > experts) {
      throw new InvalidConfigException(json.file() + ": num_experts_per_tok " + topK + " must be between 1 and the "
          + experts + " experts (num_local_experts)");
    }
    int width = json.optionalInt("intermediate_size", 8192);
    List<Integer> listed = json.intOrIntList("moe_layers");
    if (!json.has("moe_layers")) {
      int step = json.optionalInt("interleave_moe_layer_step", 1);
      if (step <= 0) {
        throw new InvalidConfigException(json.file() + ": \"interleave_moe_layer_step\" must be positive, got " + step);
      }
      for (int l = step - 1; l < layers; l += step) listed.add(l);
    }
    for (int l : listed) {
      if (l < 0 || l >= layers) {
        throw new InvalidConfigException(json.file() + ": moe_layers names layer " + l + " of " + layers);
      }
    }
    List<Boolean> sparse = new ArrayList<>();
    for (int l = 0; l < layers; l++) sparse.add(listed.contains(l));
    return new Moe(experts, topK, width, false, width, sparse, null, null, true);
  }

  /**
   * The chunked layers: those layer_types calls "chunked_attention", else every rotating one (as
   * transformers derives layer_types); null where none is chunked. attention_chunk_size (default
   * 8192) must then be a positive number.
   */
  static ChunkedAttention chunkedAttention(ConfigJson json, List<String> types, List<Boolean> ropeLayers) {
    List<Boolean> chunked = new ArrayList<>();
    for (int l = 0; l < ropeLayers.size(); l++) {
      chunked.add(types != null ? "chunked_attention".equals(types.get(l)) : ropeLayers.get(l));
    }
    if (!chunked.contains(true)) return null;
    int size = json.declares("attention_chunk_size") ? json.optionalInt("attention_chunk_size", 0) : 8192;
    if (size <= 0) {
      throw new InvalidConfigException(json.file() + ": \"attention_chunk_size\" must be positive for the"
          + " chunked_attention layers, got " + (json.has("attention_chunk_size") ? size : "null"));
    }
    return new ChunkedAttention(size, chunked);
  }

  /**
   * The NoPE layers' query temperature where attn_temperature_tuning is on (the default; older
   * configs state it as a number, which transformers takes as true unless 0): floor_scale (8192) and
   * attn_scale (0.1).
   */
  static AttentionTemperature temperature(ConfigJson json) {
    if (!json.optionalTruthy("attn_temperature_tuning", true)) return null;
    double floorScale = json.optionalDouble("floor_scale", 8192);
    double attnScale = json.optionalDouble("attn_scale", 0.1);
    if (!(floorScale > 0) || Double.isInfinite(floorScale) || !Double.isFinite(attnScale)) {
      throw new InvalidConfigException(json.file() + ": \"floor_scale\" must be positive and \"attn_scale\" finite,"
          + " got " + floorScale + " and " + attnScale);
    }
    return new AttentionTemperature(floorScale, attnScale);
  }
}

package dev.barista.engine.config;

/**
 * What the configs of the ALiBi models say, as transformers reads them: Bloom and MPT always bias
 * their attention linearly, Falcon where {@code alibi} is true (Falcon-RW). MPT keeps its attention
 * settings in an {@code attn_config} object; what it may state there that transformers does not
 * compute is refused by key rather than run wrongly.
 */
final class AlibiConfigs {
  private AlibiConfigs() {}

  static boolean isBloomOrMpt(String body) {
    return body.equals("BloomForCausalLM") || body.equals("MptForCausalLM");
  }

  /**
   * The model's linear biases, or null where it has none. Bloom adds them to the scaled scores;
   * Falcon to the raw product, with its slopes rounded to bfloat16 as its modeling code does; MPT to
   * the scaled scores, with attn_config's alibi_bias_max (transformers always takes 8, the value every
   * MPT checkpoint states; MosaicML's own code and vLLM honour the key).
   */
  static Alibi alibi(ConfigJson json, String body, int heads) {
    return switch (body) {
      case "BloomForCausalLM" -> new Alibi(Alibi.slopes(heads, Alibi.DEFAULT_MAX_BIAS), false);
      case "FalconForCausalLM" -> json.optionalBoolean("alibi", false)
          ? new Alibi(Alibi.roundedToBf16(Alibi.slopes(heads, Alibi.DEFAULT_MAX_BIAS)), true) : null;
      case "MptForCausalLM" -> {
        double maxBias = mptAttention(json).optionalDouble("alibi_bias_max", Alibi.DEFAULT_MAX_BIAS);
        if (!(maxBias > 0) || Double.isInfinite(maxBias)) {
          throw new InvalidConfigException(json.file() + ": attn_config.alibi_bias_max must be positive and finite, got "
              + maxBias);
        }
        yield new Alibi(Alibi.slopes(heads, maxBias), false);
      }
      default -> null;
    };
  }

  /** MPT's attn_config, empty where the config has none (its keys then take transformers' defaults). */
  static ConfigJson mptAttention(ConfigJson json) {
    return json.objectOrEmpty("attn_config");
  }

  /**
   * MPT's attn_config.softmax_scale (null: 1/sqrt(head_dim), 0 here); other models state none here.
   */
  static double mptSoftmaxScale(ConfigJson json) {
    Double scale = mptAttention(json).optionalDouble("softmax_scale");
    if (scale == null) return 0;
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new InvalidConfigException(json.file() + ": attn_config.softmax_scale must be positive and finite or null, got "
          + scale);
    }
    return scale;
  }

  /**
   * Refuses what Bloom's and MPT's configs may state that transformers' models do not compute: Bloom's
   * residual taken after the norm; MPT without ALiBi (MosaicML's learned positions, which transformers
   * does not load), with grouped or multi-query attention, a prefix LM, q/k LayerNorms, biases
   * (no_bias false) or a logit_scale.
   */
  static void requireSupported(ConfigJson json, String body) {
    if (body.equals("BloomForCausalLM")) {
      refuseIf(json, json.optionalBoolean("apply_residual_connection_post_layernorm", false),
          "apply_residual_connection_post_layernorm true");
      return;
    }
    if (!body.equals("MptForCausalLM")) return;
    ConfigJson attention = mptAttention(json);
    refuseIf(json, !attention.optionalBoolean("alibi", true), "attn_config.alibi false");
    String type = attention.optionalString("attn_type");
    refuseIf(json, type != null && !type.equals("multihead_attention"), "attn_config.attn_type \"" + type + "\"");
    refuseIf(json, attention.optionalBoolean("prefix_lm", false), "attn_config.prefix_lm true");
    refuseIf(json, attention.optionalBoolean("qk_ln", false), "attn_config.qk_ln true");
    refuseIf(json, !json.optionalBoolean("no_bias", true), "no_bias false");
    refuseIf(json, json.has("logit_scale"), "logit_scale other than null");
  }

  private static void refuseIf(ConfigJson json, boolean refused, String what) {
    if (refused) throw new InvalidConfigException(json.file() + ": " + what + " is not supported");
  }
}

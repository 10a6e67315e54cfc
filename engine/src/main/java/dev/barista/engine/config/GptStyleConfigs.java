package dev.barista.engine.config;

/**
 * What OPT and GPT-2 configs may say that Barista's GPT-style layer (LayerNorm before attention and
 * MLP, biases, an ungated MLP, learned positions) does not compute: such configs are refused by
 * key rather than run wrongly.
 */
final class GptStyleConfigs {
  private GptStyleConfigs() {}

  static boolean is(String body) {
    return body.equals("OPTForCausalLM") || body.equals("GPT2LMHeadModel");
  }

  /** transformers' default activation_function: OPT relu, GPT-2 gelu_new. */
  static String defaultActivation(String body) {
    return body.equals("OPTForCausalLM") ? "relu" : body.equals("GPT2LMHeadModel") ? "gelu_new" : "silu";
  }

  static void requireSupported(ConfigJson json, String body) {
    if (body.equals("OPTForCausalLM")) {
      // opt-350m normalises after each block and projects embeddings to another width
      refuseUnless(json, json.optionalBoolean("do_layer_norm_before", true), "do_layer_norm_before false");
      refuseUnless(json, json.optionalBoolean("enable_bias", true), "enable_bias false");
      refuseUnless(json, json.optionalBoolean("layer_norm_elementwise_affine", true), "layer_norm_elementwise_affine false");
      if (json.has("word_embed_proj_dim") && json.has("hidden_size")
          && json.requiredInt("word_embed_proj_dim") != json.requiredInt("hidden_size")) {
        refuseUnless(json, false, "word_embed_proj_dim " + json.requiredInt("word_embed_proj_dim")
            + " other than hidden_size");
      }
    } else {
      refuseUnless(json, !json.optionalBoolean("scale_attn_by_inverse_layer_idx", false),
          "scale_attn_by_inverse_layer_idx true");
      refuseUnless(json, !json.optionalBoolean("add_cross_attention", false), "add_cross_attention true");
    }
  }

  private static void refuseUnless(ConfigJson json, boolean ok, String what) {
    if (!ok) throw new InvalidConfigException(json.file() + ": " + what + " is not supported");
  }
}

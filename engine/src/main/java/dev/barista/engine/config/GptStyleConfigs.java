package dev.barista.engine.config;

/**
 * What OPT and GPT-2 configs (LayerNorm before attention and MLP, biases, an ungated MLP, learned
 * positions) and GPT-NeoX and Phi configs (the same with partial rotary embeddings and a parallel
 * residual) may say that Barista does not compute: such configs are refused by key rather than run
 * wrongly.
 */
final class GptStyleConfigs {
  private GptStyleConfigs() {}

  static boolean is(String body) {
    return body.equals("OPTForCausalLM") || body.equals("GPT2LMHeadModel");
  }

  /**
   * GPT-NeoX, Phi, Starcoder2, StableLM, GPT-J, Cohere, Falcon, Nemotron and OLMo: LayerNorm with rotary
   * embeddings (Falcon-RW: with ALiBi instead, see {@link AlibiConfigs}).
   */
  static boolean isLayerNormRotary(String body) {
    return switch (body) {
      case "GPTNeoXForCausalLM", "PhiForCausalLM", "Starcoder2ForCausalLM", "StableLmForCausalLM", "GPTJForCausalLM",
          "CohereForCausalLM", "Cohere2ForCausalLM", "FalconForCausalLM", "NemotronForCausalLM", "OlmoForCausalLM" -> true;
      default -> false;
    };
  }

  /** Whether attention and MLP read the same layer input: always for Phi, by config for GPT-NeoX and StableLM. */
  static boolean parallelResidual(ConfigJson json, String body) {
    return switch (body) {
      case "PhiForCausalLM", "GPTJForCausalLM", "CohereForCausalLM", "Cohere2ForCausalLM" -> true;
      case "GPTNeoXForCausalLM" -> json.optionalBoolean("use_parallel_residual", true);
      case "StableLmForCausalLM" -> json.optionalBoolean("use_parallel_residual", false);
      case "FalconForCausalLM" -> json.optionalBoolean("parallel_attn", true);
      default -> false;
    };
  }

  /**
   * transformers' default activation: OPT relu, GPT-2 and Phi gelu_new, GPT-NeoX, Falcon and MPT gelu,
   * Bloom the tanh GELU, Nemotron and Arcee relu2.
   */
  static String defaultActivation(String body) {
    return switch (body) {
      case "OPTForCausalLM" -> "relu";
      case "GPT2LMHeadModel", "PhiForCausalLM", "GPTJForCausalLM" -> "gelu_new";
      case "GPTNeoXForCausalLM", "FalconForCausalLM", "MptForCausalLM" -> "gelu";
      case "BloomForCausalLM" -> "gelu_pytorch_tanh";
      case "Starcoder2ForCausalLM" -> "gelu_pytorch_tanh";
      case "NemotronForCausalLM", "ArceeForCausalLM" -> "relu2";
      default -> "silu";
    };
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
    } else if (body.equals("PhiForCausalLM") || body.equals("StableLmForCausalLM")) {
      refuseUnless(json, !json.optionalBoolean("qk_layernorm", false), "qk_layernorm true");
    } else if (body.equals("CohereForCausalLM")) {
      // Command R+ normalises q and k per head with weights of their own
      refuseUnless(json, !json.optionalBoolean("use_qk_norm", false), "use_qk_norm true");
    } else if (body.equals("GPT2LMHeadModel")) {
      refuseUnless(json, !json.optionalBoolean("scale_attn_by_inverse_layer_idx", false),
          "scale_attn_by_inverse_layer_idx true");
      refuseUnless(json, !json.optionalBoolean("add_cross_attention", false), "add_cross_attention true");
    }
  }

  /**
   * Falcon's kv heads as transformers counts them: num_kv_heads in the new decoder architecture
   * (Falcon-40B, 180B), one for multi-query attention (Falcon-7B), else one a query head.
   */
  static int falconKvHeads(ConfigJson json, int heads) {
    if (json.optionalBoolean("new_decoder_architecture", false)) return json.optionalInt("num_kv_heads", heads);
    return json.optionalBoolean("multi_query", true) ? 1 : heads;
  }

  private static void refuseUnless(ConfigJson json, boolean ok, String what) {
    if (!ok) throw new InvalidConfigException(json.file() + ": " + what + " is not supported");
  }
}

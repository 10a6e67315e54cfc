package dev.barista.engine.config;

import dev.barista.engine.weights.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses config.json into a {@link ModelConfig}, accepting both the classic keys
 * (rope_theta, rope_scaling) and the newer rope_parameters object.
 */
public final class ModelConfigParser {
  private ModelConfigParser() {}

  public static ModelConfig parse(Path file) {
    ConfigJson top = ConfigJson.read(file);
    String architecture = top.requiredFirstString("architectures");
    ConfigJson json = top;
    ConfigJson textConfig = top.object("text_config");
    if (architecture.endsWith("ForConditionalGeneration") && textConfig != null) {
      // a multimodal checkpoint served for text, as vLLM serves it: its language model alone
      String textType = textConfig.optionalString("model_type");
      String causal = textType == null ? null : TEXT_MODELS.get(textType);
      if (causal == null) {
        throw new UnsupportedArchitectureException(architecture + " (text model " + textType + ")",
            java.util.Set.copyOf(TEXT_MODELS.values()));
      }
      architecture = causal;
      json = textConfig;
    } else if (architecture.endsWith("ForConditionalGeneration")
        && TEXT_MODELS.containsKey(top.optionalString("model_type") + "_text")) {
      // Qwen2-VL and Qwen2.5-VL as the hub has them: the language model's keys at the top level
      architecture = TEXT_MODELS.get(top.optionalString("model_type") + "_text");
    }
    String body = bodyArchitecture(architecture);
    boolean gptStyle = GptStyleConfigs.is(body);
    boolean layerNormBody = gptStyle || GptStyleConfigs.isLayerNormRotary(body) || AlibiConfigs.isBloomOrMpt(body);
    if (gptStyle || GptStyleConfigs.isLayerNormRotary(body)) GptStyleConfigs.requireSupported(json, body);
    AlibiConfigs.requireSupported(json, body);
    // GPT-2, OPT, Bloom and MPT name some sizes their own way (transformers maps them through attribute_map)
    int hidden = json.requiredInt(key(json, "hidden_size", "n_embd", "d_model"));
    int heads = json.requiredInt(key(json, "num_attention_heads", "n_head", "n_heads"));
    boolean latentAttention = isDeepseek(body);
    // MLA expands its compressed keys and values into one key and value per query head
    int kvHeads = body.equals("FalconForCausalLM") ? GptStyleConfigs.falconKvHeads(json, heads)
        : latentAttention ? heads : json.optionalInt("num_key_value_heads", heads);
    int layers = json.requiredInt(key(json, "num_hidden_layers", "n_layer", "n_layers"));
    // transformers' MPT MLP is 4 x d_model whatever expansion_ratio says, as is Bloom's
    int intermediate = AlibiConfigs.isBloomOrMpt(body) ? 4 * hidden
        : (body.equals("GPT2LMHeadModel") || body.equals("GPTJForCausalLM")) && !json.has("n_inner") ? 4 * hidden
        : body.equals("FalconForCausalLM") ? json.optionalInt("ffn_hidden_size", 4 * hidden)
        : Llama4Configs.is(body) ? Llama4Configs.denseIntermediate(json)
        : json.requiredInt(key(json, "intermediate_size", "ffn_dim", "n_inner"));
    int vocab = json.requiredInt("vocab_size");
    // (DeepSeek's head_dim is its rotary width; its query and key heads are the unrotated part and that)
    int headDim = latentAttention ? json.requiredInt("qk_nope_head_dim") + json.requiredInt("qk_rope_head_dim")
        : json.has("head_dim") ? json.requiredInt("head_dim") : hidden / Math.max(heads, 1);
    requirePositive(json, "hidden_size", hidden);
    requirePositive(json, "num_attention_heads", heads);
    requirePositive(json, "num_key_value_heads", kvHeads);
    requirePositive(json, "num_hidden_layers", layers);
    requirePositive(json, "intermediate_size", intermediate);
    requirePositive(json, "vocab_size", vocab);
    requirePositive(json, "head_dim", headDim);
    if (heads % kvHeads != 0) {
      throw new InvalidConfigException(file + ": num_attention_heads " + heads
          + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    if (headDim % 2 != 0) {
      throw new InvalidConfigException(file + ": head_dim must be even for rotary embeddings");
    }
    Activation activation = activation(json, body);
    ConfigJson ropeParams = json.object("rope_parameters");
    ConfigJson localRopeParams = null;
    if (ropeParams != null && ropeParams.has("full_attention")) {
      // transformers 5 writes Gemma 3's two rotary setups by layer type
      localRopeParams = ropeParams.object("sliding_attention");
      ropeParams = ropeParams.object("full_attention");
    }
    double ropeTheta = ropeParams != null && ropeParams.has("rope_theta")
        ? ropeParams.requiredDouble("rope_theta")
        : json.optionalDouble(key(json, "rope_theta", "rotary_emb_base"), 10000.0); // GPT-NeoX: rotary_emb_base
    int maxPositions = json.optionalInt(key(json, "max_position_embeddings", "n_positions", "max_seq_len"), 2048);
    ConfigJson rope = ropeParams != null ? ropeParams : json.object("rope_scaling");
    Mla mla = latentAttention ? mla(json, rope, body.equals("DeepseekV2ForCausalLM")) : null;
    int rotaryDim = mla != null ? mla.qkRopeHeadDim()
        : rotaryDim(json, rope, headDim, body.equals("Glm4MoeForCausalLM") ? 0.5 : 1.0);
    RopeScaling scaling = ropeScaling(rope, json, maxPositions, rotaryDim);
    if (mla != null && scaling != null && scaling.attentionFactor() != 1) {
      // the runners fold the factor into the softmax scale, which latent attention's unrotated part must not get
      throw new InvalidConfigException(file + ": a rope scaling attention factor (" + scaling.attentionFactor()
          + ") is not supported with latent attention; mscale equal to mscale_all_dim is");
    }
    // Qwen2, Qwen3 and SmolLM3 slide only when use_sliding_window says so (transformers' default:
    // false); Mistral and Phi-3 have no such key, and slide wherever sliding_window is set
    boolean qwenLike = body.startsWith("Qwen2") || body.startsWith("Qwen3");
    boolean slidingEnabled = json.optionalBoolean("use_sliding_window",
        !(qwenLike || body.equals("SmolLM3ForCausalLM")));
    int configuredWindow = configuredWindow(json, body);
    int window = slidingEnabled ? configuredWindow : 0;
    List<String> layerTypes = layerTypes(json, body, layers, configuredWindow);
    Alibi alibi = AlibiConfigs.alibi(json, body, heads);
    List<Boolean> ropeLayers = ropeLayers(json, body, layers, layerTypes, configuredWindow > 0, alibi != null);
    List<Boolean> slidingLayers = slidingLayers(json, layers, window, ropeLayers,
        qwenLike ? 28 : body.equals("Dots1ForCausalLM") ? 62 : 0, layerTypes);
    if (!slidingLayers.contains(true)) window = 0;
    boolean llama4 = Llama4Configs.is(body);
    boolean attentionBias = json.optionalBoolean(key(json, "attention_bias", "use_bias", "use_qkv_bias", "bias"),
        body.equals("Starcoder2ForCausalLM"));
    String dtypeName = dtypeName(json);
    if (dtypeName == null) dtypeName = dtypeName(top);
    DType dtype = dtypeName == null ? DType.BF16 : DType.fromTorchName(dtypeName, file.toString());
    return new ModelConfig(
        architecture,
        json.optionalString("model_type"),
        hidden,
        intermediate,
        layers,
        heads,
        kvHeads,
        headDim,
        vocab,
        maxPositions,
        json.optionalDouble(key(json, "rms_norm_eps", "layer_norm_epsilon", "layer_norm_eps", "norm_epsilon", "norm_eps"),
            layerNormBody ? 1e-5 : 1e-6),
        ropeTheta,
        scaling,
        // a multimodal checkpoint ties by its top-level key where it has one, as transformers does
        // for the whole model (Mistral 3: true over its text_config's false)
        (top.has("tie_word_embeddings") || !json.has("tie_word_embeddings") ? top : json).optionalBoolean(
            "tie_word_embeddings", isGemma(body) || gptStyle || body.equals("Starcoder2ForCausalLM")
                || body.equals(ErnieMoeConfigs.BODY)
                || body.startsWith("Cohere") || body.equals("FalconForCausalLM") || AlibiConfigs.isBloomOrMpt(body)),
        // Starcoder2 says use_bias (default true), StableLM use_qkv_bias (q/k/v only)
        attentionBias,
        json.optionalBoolean(key(json, "mlp_bias", "use_bias", "bias"), body.equals("Starcoder2ForCausalLM")),
        json.has("bos_token_id") ? json.optionalInt("bos_token_id") : top.optionalInt("bos_token_id"),
        json.has("eos_token_id") ? json.intOrIntList("eos_token_id") : top.intOrIntList("eos_token_id"),
        dtype,
        window,
        slidingLayers,
        ropeLayers,
        multipliers(json, body, hidden, dtype),
        classLabels(json),
        activation,
        softcaps(json, body),
        // Gemma 3, and any config giving the sliding layers rotary parameters of their own (OLMo 3)
        body.equals("Gemma3ForCausalLM") || (localRopeParams != null && layerTypes != null)
            ? localRope(json, localRopeParams, layerTypes) : null,
        rotaryDim,
        GptStyleConfigs.parallelResidual(json, body),
        llama4 ? Llama4Configs.moe(json, layers) : moe(json, body, layers, intermediate),
        body.equals("SeedOssForCausalLM") ? json.optionalBoolean("attention_out_bias", false) : attentionBias,
        clipQkv(json, body),
        json.optionalBoolean("use_qk_norm", llama4),
        mla,
        alibi,
        llama4 ? Llama4Configs.chunkedAttention(json, layerTypes, ropeLayers) : null,
        llama4 ? Llama4Configs.temperature(json) : null);
  }

  /**
   * sliding_window as config.json states it (0 for null); absent, transformers' default: 4096 for
   * EXAONE 4, Cohere 2 and dots.llm1, none for the others.
   */
  private static int configuredWindow(ConfigJson json, String body) {
    boolean defaultsOn = body.equals("Exaone4ForCausalLM") || body.equals("Cohere2ForCausalLM")
        || body.equals("Dots1ForCausalLM");
    return Math.max(0, json.declares("sliding_window") ? json.optionalInt("sliding_window", 0) : defaultsOn ? 4096 : 0);
  }

  /** OLMo's clip_qkv and MPT's attn_config.clip_qkv (null: none, 0 here); other architectures do not clip. */
  private static double clipQkv(ConfigJson json, String body) {
    ConfigJson source = body.equals("OlmoForCausalLM") ? json
        : body.equals("MptForCausalLM") ? AlibiConfigs.mptAttention(json) : null;
    if (source == null || !source.has("clip_qkv")) return 0;
    double clip = source.requiredDouble("clip_qkv");
    if (!(clip > 0) || Double.isInfinite(clip)) {
      throw new InvalidConfigException(json.file() + ": \"clip_qkv\" must be positive and finite or null, got " + clip);
    }
    return clip;
  }

  /**
   * DeepSeek's latent attention sizes, with transformers' defaults where a size is missing
   * (q_lora_rank null: one q_proj); the softmax scale's mscale from a rope scaling's mscale_all_dim.
   * DeepSeek-V2 always rotates adjacent pairs (a complex product), V3 where rope_interleave.
   */
  private static Mla mla(ConfigJson json, ConfigJson rope, boolean v2) {
    if (json.optionalBoolean("attention_bias", false)) {
      throw new InvalidConfigException(json.file() + ": attention_bias is not supported with latent attention");
    }
    int qLoraRank = json.declares("q_lora_rank") ? json.optionalInt("q_lora_rank", 0) : 1536;
    Mla mla = new Mla(qLoraRank, json.optionalInt("kv_lora_rank", 512), json.optionalInt("qk_nope_head_dim", 128),
        json.optionalInt("qk_rope_head_dim", 64), json.optionalInt("v_head_dim", 128),
        v2 || json.optionalBoolean("rope_interleave", true), softmaxMscale(rope));
    if (mla.qLoraRank() < 0 || mla.kvLoraRank() <= 0 || mla.qkNopeHeadDim() < 0 || mla.qkRopeHeadDim() < 2
        || mla.qkRopeHeadDim() % 2 != 0 || mla.vHeadDim() <= 0) {
      throw new InvalidConfigException(json.file() + ": latent attention sizes must be positive and qk_rope_head_dim"
          + " even, got " + mla);
    }
    return mla;
  }

  /**
   * yarn_get_mscale(factor, mscale_all_dim) where a (non-default) rope scaling states mscale_all_dim,
   * as DeepSeek's attention reads it; 1 otherwise.
   */
  private static double softmaxMscale(ConfigJson rope) {
    if (rope == null) return 1.0;
    String type = rope.optionalString("rope_type");
    if (type == null) type = rope.optionalString("type");
    double mscaleAllDim = rope.optionalDouble("mscale_all_dim", 0);
    if (type == null || type.equals("default") || mscaleAllDim == 0) return 1.0;
    return yarnMscale(rope.requiredDouble("factor"), mscaleAllDim);
  }

  /**
   * The mixture of Mixtral (num_local_experts; always renormalised), Qwen2-MoE and Qwen3-MoE
   * (num_experts, moe_intermediate_size, norm_topk_prob, a shared expert in Qwen2-MoE; the MLP of
   * layer l is sparse unless l is in mlp_only_layers or (l + 1) is not a multiple of
   * decoder_sparse_step, as transformers builds them), GPT-OSS (num_local_experts, every layer
   * sparse, clamped SwiGLU experts); null for other models.
   */
  private static Moe moe(ConfigJson json, String body, int layers, int intermediate) {
    if (body.equals("Glm4MoeForCausalLM") || body.equals("Dots1ForCausalLM") || isDeepseek(body)) {
      return groupedMoe(json, body, layers);
    }
    if (body.equals(ErnieMoeConfigs.BODY)) return ErnieMoeConfigs.moe(json, layers);
    boolean mixtral = body.equals("MixtralForCausalLM");
    boolean olmoe = body.equals("OlmoeForCausalLM");
    boolean granite = body.equals("GraniteMoeForCausalLM") || body.equals("GraniteMoeSharedForCausalLM");
    boolean gptOss = body.equals("GptOssForCausalLM");
    if (!mixtral && !olmoe && !granite && !gptOss && !body.equals("Qwen2MoeForCausalLM")
        && !body.equals("Qwen3MoeForCausalLM")) {
      return null;
    }
    if (olmoe && json.has("clip_qkv") && json.optionalDouble("clip_qkv") != null) {
      throw new InvalidConfigException(json.file() + ": clip_qkv is not supported");
    }
    int experts = json.requiredInt(key(json, "num_local_experts", "num_experts")); // transformers 5 writes the former for all three
    int topK = json.optionalInt("num_experts_per_tok", 2);
    if (experts < 1 || topK < 1 || topK > experts) {
      throw new InvalidConfigException(json.file() + ": num_experts_per_tok " + topK + " must be between 1 and the "
          + experts + " experts");
    }
    int expertWidth = mixtral || olmoe || granite || gptOss ? intermediate : json.requiredInt("moe_intermediate_size");
    int shared = body.equals("Qwen2MoeForCausalLM") ? json.optionalInt("shared_expert_intermediate_size", 0)
        : body.equals("GraniteMoeSharedForCausalLM") ? json.optionalInt("shared_intermediate_size", 0) : 0;
    int step = Math.max(1, json.optionalInt("decoder_sparse_step", 1));
    List<Integer> dense = json.intOrIntList("mlp_only_layers");
    List<Boolean> sparse = new ArrayList<>();
    for (int l = 0; l < layers; l++) sparse.add(!dense.contains(l) && (l + 1) % step == 0);
    // Granite-MoE and GPT-OSS take the softmax of the top k logits: the top k probabilities, renormalised
    return new Moe(experts, topK, expertWidth,
        mixtral || granite || gptOss || json.optionalBoolean("norm_topk_prob", false), shared, sparse,
        null, gptOss ? swigluClamp(json) : null);
  }

  /**
   * DeepSeek-V2's, DeepSeek-V3's, GLM-4.5's and dots.llm1's mixture: n_routed_experts of moe_intermediate_size
   * routed by a {@link GroupedTopK}, n_shared_experts folded into one ungated shared expert, and
   * dense MLPs (intermediate_size) in the first first_k_dense_replace layers and wherever the layer
   * index is no multiple of moe_layer_freq (vLLM's reading; transformers' configs leave it at 1).
   * Defaults are transformers' for each model; dots.llm1's have no num_experts_per_tok or
   * n_shared_experts, which its config must then state.
   */
  private static Moe groupedMoe(ConfigJson json, String body, int layers) {
    boolean v2 = body.equals("DeepseekV2ForCausalLM");
    boolean v3 = body.equals("DeepseekV3ForCausalLM");
    boolean dots1 = body.equals("Dots1ForCausalLM");
    GroupedTopK router = v2 ? groupLimitedGreedy(json) : noauxTc(json, v3);
    int experts = json.requiredInt("n_routed_experts");
    // (transformers' DeepSeek-V2 has no default: its router needs the key)
    int topK = v2 || dots1 ? json.requiredInt("num_experts_per_tok") : json.optionalInt("num_experts_per_tok", 8);
    int groups = router.groups();
    int topKGroups = router.topKGroups();
    if (groups < 1 || experts % groups != 0 || topKGroups < 1 || topKGroups > groups) {
      throw new InvalidConfigException(json.file() + ": " + experts + " experts in n_group " + groups
          + " groups, topk_group " + topKGroups + ": the groups must split the experts evenly and topk_group be"
          + " between 1 and n_group");
    }
    int perGroup = experts / groups;
    // the top-two sum needs two experts a group where the groups are ranked at all
    boolean pairs = router.ranking() == GroupRanking.TOP_TWO_SUM && groups > 1;
    if (pairs && perGroup < 2 || topK < 1 || topK > topKGroups * perGroup) {
      throw new InvalidConfigException(json.file() + ": num_experts_per_tok " + topK + " must be between 1 and the "
          + topKGroups * perGroup + " experts of the kept groups" + (pairs ? ", each group holding at least 2" : ""));
    }
    int expertWidth = json.requiredInt("moe_intermediate_size");
    int firstSparse = json.optionalInt("first_k_dense_replace", v3 ? 3 : v2 || dots1 ? 0 : 1);
    int frequency = Math.max(1, json.optionalInt("moe_layer_freq", 1));
    List<Boolean> sparse = new ArrayList<>();
    for (int l = 0; l < layers; l++) sparse.add(l >= firstSparse && l % frequency == 0);
    // n_shared_experts null: none (DeepSeek-V2 defaults to 2 where the key is missing)
    int shared = json.declares("n_shared_experts") ? json.optionalInt("n_shared_experts", 0)
        : dots1 ? json.requiredInt("n_shared_experts") : v2 ? 2 : 1;
    // DeepSeek-V2 never renormalises (groupLimitedGreedy refuses norm_topk_prob true)
    return new Moe(experts, topK, expertWidth, !v2 && json.optionalBoolean("norm_topk_prob", !dots1),
        expertWidth * shared, sparse, router, null);
  }

  /** DeepSeek-V3's, GLM-4.5's and dots.llm1's sigmoid router, which takes scoring_func sigmoid only. */
  private static GroupedTopK noauxTc(ConfigJson json, boolean deepseek) {
    String scoring = json.optionalString("scoring_func");
    if (scoring != null && !scoring.equals("sigmoid")) {
      throw new InvalidConfigException(json.file() + ": scoring_func \"" + scoring + "\" is not supported (sigmoid)");
    }
    return GroupedTopK.noauxTc(json.optionalInt("n_group", deepseek ? 8 : 1), json.optionalInt("topk_group",
        deepseek ? 4 : 1), json.optionalDouble("routed_scaling_factor", deepseek ? 2.5 : 1.0));
  }

  /**
   * DeepSeek-V2's softmax router: topk_method "greedy" (one group; n_group and topk_group unread) or
   * "group_limited_greedy" (n_group, topk_group), always times routed_scaling_factor (default 1).
   * norm_topk_prob true is refused: transformers ignores it while DeepSeek's own code renormalises
   * instead of scaling, and no released checkpoint sets it.
   */
  private static GroupedTopK groupLimitedGreedy(ConfigJson json) {
    String scoring = json.optionalString("scoring_func");
    if (scoring != null && !scoring.equals("softmax")) {
      throw new InvalidConfigException(json.file() + ": scoring_func \"" + scoring + "\" is not supported (softmax)");
    }
    if (json.optionalBoolean("norm_topk_prob", false)) {
      throw new InvalidConfigException(json.file() + ": norm_topk_prob true is not supported for DeepSeek-V2");
    }
    String method = json.optionalString("topk_method");
    if (method == null) method = "greedy";
    double scale = json.optionalDouble("routed_scaling_factor", 1.0);
    return switch (method) {
      case "greedy" -> GroupedTopK.groupLimitedGreedy(1, 1, scale);
      case "group_limited_greedy" ->
          GroupedTopK.groupLimitedGreedy(json.requiredInt("n_group"), json.requiredInt("topk_group"), scale);
      default -> throw new InvalidConfigException(json.file() + ": topk_method \"" + method
          + "\" is not supported (greedy, group_limited_greedy)");
    };
  }

  /** GPT-OSS's clamped expert activation: swiglu_limit (default 7) and transformers' fixed alpha. */
  private static SwigluClamp swigluClamp(ConfigJson json) {
    double limit = json.optionalDouble("swiglu_limit", 7.0);
    if (!(limit > 0)) {
      throw new InvalidConfigException(json.file() + ": \"swiglu_limit\" must be positive, got " + limit);
    }
    return new SwigluClamp(SwigluClamp.GPT_OSS_ALPHA, limit);
  }

  /** The causal LM of a multimodal checkpoint's text_config, by its model_type. */
  // (Qwen2-VL, Qwen2.5-VL and Qwen3-VL split the rotary pairs into sections for time, height and
  // width; text gives every section the token's position, which is the plain rotary embedding;
  // GLM-4.1V's glm4v_text is GLM-4-0414's layer with such sections over its interleaved partial rotary)
  private static final java.util.Map<String, String> TEXT_MODELS = java.util.Map.ofEntries(
      java.util.Map.entry("gemma3_text", "Gemma3ForCausalLM"), java.util.Map.entry("llama", "LlamaForCausalLM"),
      java.util.Map.entry("mistral", "MistralForCausalLM"), java.util.Map.entry("qwen2", "Qwen2ForCausalLM"),
      java.util.Map.entry("qwen3", "Qwen3ForCausalLM"), java.util.Map.entry("gemma2", "Gemma2ForCausalLM"),
      java.util.Map.entry("gemma", "GemmaForCausalLM"), java.util.Map.entry("phi3", "Phi3ForCausalLM"),
      java.util.Map.entry("qwen2_vl_text", "Qwen2ForCausalLM"), java.util.Map.entry("qwen2_5_vl_text", "Qwen2ForCausalLM"),
      java.util.Map.entry("qwen3_vl_text", "Qwen3ForCausalLM"), java.util.Map.entry("glm4v_text", "Glm4ForCausalLM"),
      java.util.Map.entry("llama4_text", "Llama4ForCausalLM"));

  private static String dtypeName(ConfigJson json) {
    return json.has("dtype") ? json.optionalString("dtype") : json.optionalString("torch_dtype");
  }

  /** The first of {@code names} config.json has, else the first (which an error then names). */
  private static String key(ConfigJson json, String... names) {
    for (String n : names) {
      if (json.has(n)) return n;
    }
    return names[0];
  }

  /** X's causal-LM name for XForSequenceClassification (the same body), else the name itself. */
  private static String bodyArchitecture(String architecture) {
    String suffix = "ForSequenceClassification";
    return architecture.endsWith(suffix)
        ? architecture.substring(0, architecture.length() - suffix.length()) + "ForCausalLM"
        : architecture;
  }

  /** DeepSeek-V2 and V3: latent attention and a grouped router. */
  private static boolean isDeepseek(String body) {
    return body.equals("DeepseekV2ForCausalLM") || body.equals("DeepseekV3ForCausalLM");
  }

  private static boolean isGemma(String body) {
    return body.equals("GemmaForCausalLM") || isGemma2Like(body);
  }

  /** Gemma 2 and 3: sandwich norms, query_pre_attn_scalar, hidden_activation. */
  private static boolean isGemma2Like(String body) {
    return body.equals("Gemma2ForCausalLM") || body.equals("Gemma3ForCausalLM");
  }

  /**
   * The MLP activation under the key transformers reads: hidden_activation for Gemma 2 and 3,
   * hidden_act otherwise (Gemma's default: the tanh GELU; everyone else's: SiLU).
   */
  private static Activation activation(ConfigJson json, String body) {
    String key = isGemma2Like(body) ? "hidden_activation"
        : GptStyleConfigs.is(body) || body.equals("GPTJForCausalLM") ? "activation_function"
        : body.equals("FalconForCausalLM") ? "activation" : "hidden_act";
    // Bloom's and MPT's modeling code fixes its GELU, whatever the config says
    String name = AlibiConfigs.isBloomOrMpt(body) ? null : json.optionalString(key);
    if (name == null) name = isGemma(body) ? "gelu_pytorch_tanh" : GptStyleConfigs.defaultActivation(body);
    Activation activation = Activation.fromName(name);
    if (activation == null) {
      throw new InvalidConfigException(json.file() + ": " + key + " \"" + name
          + "\" is not supported (silu, gelu_pytorch_tanh, gelu_new, gelu_fast, gelu, relu, relu2)");
    }
    return activation;
  }

  /**
   * Gemma 2's soft-capping, with its defaults (50 for attention scores, 30 for logits) where the
   * keys are missing; an explicit null turns a cap off. Gemma 3 and others cap only where stated.
   */
  private static Softcaps softcaps(ConfigJson json, String body) {
    boolean gemma2 = body.equals("Gemma2ForCausalLM");
    double attention = softcap(json, "attn_logit_softcapping", gemma2 ? 50 : 0);
    double logits = softcap(json, "final_logit_softcapping", gemma2 ? 30 : 0);
    return attention == 0 && logits == 0 ? Softcaps.NONE : new Softcaps(attention, logits);
  }

  private static double softcap(ConfigJson json, String key, double fallback) {
    double cap = json.declares(key) ? json.optionalDouble(key, 0) : fallback;
    if (cap < 0 || Double.isNaN(cap)) {
      throw new InvalidConfigException(json.file() + ": \"" + key + "\" must be positive or null, got " + cap);
    }
    return cap;
  }

  /**
   * Each layer's type where the config names them (layer_types), else transformers' defaults:
   * Gemma 2 alternates sliding and full layers, Gemma 3 makes every sliding_window_pattern-th
   * layer (6) full, EXAONE 4 and Cohere 2 every sliding_window_pattern-th (4; EXAONE 4 none without
   * a window); null for the others.
   */
  private static List<String> layerTypes(ConfigJson json, String body, int layers, int configuredWindow) {
    List<String> types = json.optionalStringList("layer_types");
    if (types != null) {
      if (types.size() != layers) {
        throw new InvalidConfigException(json.file() + ": layer_types names " + types.size() + " layers, not "
            + layers);
      }
      boolean chunks = Llama4Configs.is(body);
      for (String type : types) {
        if (!type.equals("full_attention") && !type.equals("sliding_attention")
            && !(chunks && type.equals("chunked_attention"))) {
          throw new InvalidConfigException(json.file() + ": layer_types \"" + type
              + "\" is not supported (full_attention, sliding_attention" + (chunks ? ", chunked_attention)" : ")"));
        }
      }
      return types;
    }
    boolean exaone = body.equals("Exaone4ForCausalLM");
    boolean patterned = isGemma2Like(body) || exaone || body.equals("Cohere2ForCausalLM");
    if (!patterned) return null;
    int pattern = body.equals("Gemma2ForCausalLM") ? 2
        : body.equals("Gemma3ForCausalLM") ? json.optionalInt("sliding_window_pattern", 6)
        : exaone && configuredWindow == 0 ? 1 // every layer full
        : json.optionalInt("sliding_window_pattern", 4);
    if (pattern <= 0) {
      throw new InvalidConfigException(json.file() + ": \"sliding_window_pattern\" must be positive, got " + pattern);
    }
    List<String> derived = new ArrayList<>();
    for (int i = 0; i < layers; i++) derived.add((i + 1) % pattern != 0 ? "sliding_attention" : "full_attention");
    return derived;
  }

  /**
   * Gemma 3's local rotary base for its sliding layers: rope_parameters.sliding_attention (transformers
   * 5) or rope_local_base_freq (default 10,000), never scaled.
   */
  private static LocalRope localRope(ConfigJson json, ConfigJson localParams, List<String> layerTypes) {
    double theta = json.optionalDouble("rope_local_base_freq", 10_000.0);
    if (localParams != null) {
      String type = localParams.optionalString("rope_type");
      if (type != null && !type.equals("default")) {
        throw new InvalidConfigException(json.file() + ": rope scaling \"" + type
            + "\" of the sliding layers is not supported (default)");
      }
      theta = localParams.optionalDouble("rope_theta", theta);
    }
    List<Boolean> local = new ArrayList<>();
    for (String t : layerTypes) local.add("sliding_attention".equals(t));
    return new LocalRope(theta, local);
  }

  /**
   * A sequence classifier's class names, as transformers reads them: id2label (keys 0..n-1), else
   * LABEL_i for num_labels classes, else two.
   */
  private static List<String> classLabels(ConfigJson json) {
    ConfigJson names = json.object("id2label");
    int n = names != null ? names.size() : json.optionalInt("num_labels", 2);
    if (json.has("num_labels") && names != null && json.requiredInt("num_labels") != n) {
      throw new InvalidConfigException(json.file() + ": num_labels " + json.requiredInt("num_labels")
          + " but id2label names " + n + " classes");
    }
    if (n < 1) throw new InvalidConfigException(json.file() + ": num_labels must be positive, got " + n);
    List<String> labels = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = names == null ? null : names.optionalString(Integer.toString(i));
      if (names != null && name == null) {
        throw new InvalidConfigException(json.file() + ": id2label has no class " + i + " of " + n);
      }
      labels.add(name == null ? "LABEL_" + i : name);
    }
    return labels;
  }

  /**
   * Granite's multipliers, as its config names them (transformers' defaults: all 1, the attention
   * scale too); Gemma's embedding normalizer (sqrt(hidden_size), in the checkpoint's dtype as
   * transformers casts it) and softmax scale (query_pre_attn_scalar^-0.5 from Gemma 2 on).
   */
  private static Multipliers multipliers(ConfigJson json, String body, int hidden, DType dtype) {
    if (isGemma(body)) {
      double attention = isGemma2Like(body) ? 1 / Math.sqrt(json.optionalDouble("query_pre_attn_scalar", 256)) : 0;
      if (Double.isNaN(attention) || Double.isInfinite(attention)) {
        throw new InvalidConfigException(json.file() + ": \"query_pre_attn_scalar\" must be positive");
      }
      return new Multipliers(dtype.round((float) Math.sqrt(hidden)), 1, attention, 1);
    }
    if (body.equals("MptForCausalLM")) return new Multipliers(1, 1, AlibiConfigs.mptSoftmaxScale(json), 1);
    if (body.equals("GPT2LMHeadModel") && !json.optionalBoolean("scale_attn_weights", true)) {
      return new Multipliers(1, 1, 1, 1); // scores not divided by sqrt(head_dim)
    }
    if (body.startsWith("Cohere")) { // Cohere and Cohere 2: logits times logit_scale
      double scale = json.optionalDouble("logit_scale", 0.0625);
      if (!(scale != 0) || Double.isInfinite(scale)) {
        throw new InvalidConfigException(json.file() + ": logit_scale must be finite and non-zero, got " + scale);
      }
      return new Multipliers(1, 1, 0, 1 / scale);
    }
    if (!body.startsWith("Granite")) return Multipliers.NONE; // Granite and Granite-MoE
    Multipliers m = new Multipliers(json.optionalDouble("embedding_multiplier", 1.0),
        json.optionalDouble("residual_multiplier", 1.0), json.optionalDouble("attention_multiplier", 1.0),
        json.optionalDouble("logits_scaling", 1.0));
    if (!(m.logitsScaling() != 0) || !(m.attention() > 0)) {
      throw new InvalidConfigException(json.file() + ": logits_scaling must be non-zero and attention_multiplier"
          + " positive, got " + m.logitsScaling() + " and " + m.attention());
    }
    return m;
  }

  /**
   * SmolLM3's and Llama 4's NoPE layers: no_rope_layers (1 rotates, 0 does not), by default every
   * no_rope_layer_interval-th layer (4) without rotation, as transformers fills it in. EXAONE 4
   * with a sliding window rotates its sliding layers alone (without, all); Cohere 2 its sliding
   * layers alone (without a window, none). Learned positions and ALiBi models rotate in no layer,
   * other architectures in every layer.
   */
  private static List<Boolean> ropeLayers(ConfigJson json, String body, int layers, List<String> types,
      boolean windowed, boolean alibi) {
    List<Boolean> rotates = new ArrayList<>();
    boolean exaone = body.equals("Exaone4ForCausalLM");
    if (exaone || body.equals("Cohere2ForCausalLM")) {
      for (String type : types) {
        boolean sliding = "sliding_attention".equals(type);
        rotates.add(exaone ? !windowed || sliding : windowed && sliding);
      }
      return rotates;
    }
    if (!body.equals("SmolLM3ForCausalLM") && !Llama4Configs.is(body)) {
      for (int i = 0; i < layers; i++) rotates.add(!GptStyleConfigs.is(body) && !alibi);
      return rotates;
    }
    List<Integer> given = json.intOrIntList("no_rope_layers");
    if (!given.isEmpty() && given.size() != layers) {
      throw new InvalidConfigException(json.file() + ": no_rope_layers names " + given.size() + " layers, not "
          + layers);
    }
    int interval = json.optionalInt("no_rope_layer_interval", 4);
    if (interval <= 0) {
      throw new InvalidConfigException(json.file() + ": \"no_rope_layer_interval\" must be positive, got " + interval);
    }
    for (int i = 0; i < layers; i++) rotates.add(given.isEmpty() ? (i + 1) % interval != 0 : given.get(i) != 0);
    return rotates;
  }

  /**
   * Which layers attend within the window: those layer_types names "sliding_attention", else
   * SmolLM3's NoPE layers where it has some, else those from max_window_layers on (as transformers
   * derives them for Qwen2/Qwen3, whose default is 28, and dots.llm1, 62; 0 for the others: all).
   */
  private static List<Boolean> slidingLayers(ConfigJson json, int layers, int window, List<Boolean> ropeLayers,
      int defaultMaxWindowLayers, List<String> types) {
    List<Boolean> sliding = new ArrayList<>();
    int firstSliding = json.optionalInt("max_window_layers", defaultMaxWindowLayers);
    for (int i = 0; i < layers; i++) {
      boolean slides = types != null ? "sliding_attention".equals(types.get(i))
          : ropeLayers.contains(false) ? !ropeLayers.get(i)
          : i >= firstSliding;
      sliding.add(window > 0 && slides);
    }
    return sliding;
  }

  /** Reads rope_scaling / rope_parameters; null for none or the default (unscaled) type. */
  private static RopeScaling ropeScaling(ConfigJson rope, ConfigJson json, int maxPositions, int rotaryDim) {
    if (rope == null) return null;
    String type = rope.optionalString("rope_type");
    if (type == null) type = rope.optionalString("type");
    // mrope: the multimodal sections, which text alone reduces to the default (see TEXT_MODELS)
    if (rope.has("alpha")) {
      throw new InvalidConfigException(rope.file() + ": rope \"alpha\" (NTK-alpha scaling, HunYuan's) is not supported");
    }
    if (type == null || type.equals("default") || type.equals("mrope")) return null;
    return switch (type) {
      case "linear" -> new RopeScaling.Linear(rope.requiredDouble("factor"));
      case "llama3" -> new RopeScaling.Llama3(
          rope.requiredDouble("factor"),
          rope.requiredDouble("low_freq_factor"),
          rope.requiredDouble("high_freq_factor"),
          rope.requiredInt("original_max_position_embeddings"));
      case "dynamic" -> new RopeScaling.DynamicNtk(rope.requiredDouble("factor"));
      case "yarn" -> yarn(rope, maxPositions);
      case "longrope", "su" -> longRope(rope, json, maxPositions, rotaryDim);
      default -> throw new InvalidConfigException(rope.file() + ": rope scaling type \"" + type
          + "\" is not supported (linear, llama3, dynamic, yarn, longrope)");
    };
  }

  /** YaRN's parameters with transformers' defaults (beta_fast 32, beta_slow 1, truncated ramp). */
  private static RopeScaling.Yarn yarn(ConfigJson rope, int maxPositions) {
    int original = rope.optionalInt("original_max_position_embeddings", maxPositions);
    // As in transformers: without a factor, the ratio of the extended to the trained context.
    double factor = rope.optionalDouble("factor", (double) maxPositions / original);
    if (!(factor > 0)) {
      throw new InvalidConfigException(rope.file() + ": yarn \"factor\" must be positive, got " + factor);
    }
    Double attention = rope.optionalDouble("attention_factor");
    if (attention == null) {
      Double mscale = rope.optionalDouble("mscale");
      Double mscaleAllDim = rope.optionalDouble("mscale_all_dim");
      attention = mscale != null && mscale != 0 && mscaleAllDim != null && mscaleAllDim != 0
          ? yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim)
          : yarnMscale(factor, 1);
    }
    double betaFast = rope.optionalDouble("beta_fast", 32);
    double betaSlow = rope.optionalDouble("beta_slow", 1);
    return new RopeScaling.Yarn(factor, original, attention, betaFast == 0 ? 32 : betaFast,
        betaSlow == 0 ? 1 : betaSlow, rope.optionalBoolean("truncate", true));
  }

  /** LongRoPE's lists (one factor per rotary pair) and its attention factor, as transformers resolves them. */
  private static RopeScaling.LongRope longRope(ConfigJson rope, ConfigJson json, int maxPositions, int rotaryDim) {
    double[] shortFactor = rope.requiredDoubleList("short_factor");
    double[] longFactor = rope.requiredDoubleList("long_factor");
    for (double[] f : new double[][] {shortFactor, longFactor}) {
      if (f.length != rotaryDim / 2) {
        throw new InvalidConfigException(rope.file() + ": longrope factors must number the rotary dimensions / 2 = "
            + rotaryDim / 2 + ", got " + f.length);
      }
    }
    // Phi-3 keeps the trained context at the top level of config.json
    int original = rope.has("original_max_position_embeddings")
        ? rope.requiredInt("original_max_position_embeddings")
        : json.optionalInt("original_max_position_embeddings", maxPositions);
    double factor = rope.optionalDouble("factor", (double) maxPositions / original);
    Double attention = rope.optionalDouble("attention_factor");
    if (attention == null) {
      attention = factor <= 1 ? 1.0 : Math.sqrt(1 + Math.log(factor) / Math.log(original));
    }
    return new RopeScaling.LongRope(shortFactor, longFactor, original, attention);
  }

  private static double yarnMscale(double factor, double mscale) {
    return factor <= 1 ? 1.0 : 0.1 * mscale * Math.log(factor) + 1.0;
  }

  /**
   * The rotated width of each head: head_dim times partial_rotary_factor (rope_parameters' or the
   * top level's; GPT-NeoX: rotary_pct; {@code defaultPartial} where none is stated), as transformers
   * truncates it; even, and at least 2.
   */
  private static int rotaryDim(ConfigJson json, ConfigJson rope, int headDim, double defaultPartial) {
    if (json.has("rotary_dim")) { // GPT-J states the width itself
      int dim = json.requiredInt("rotary_dim");
      if (dim < 2 || dim > headDim || dim % 2 != 0) {
        throw new InvalidConfigException(json.file() + ": rotary_dim " + dim + " must be even and from 2 to head_dim " + headDim);
      }
      return dim;
    }
    double partial = rope != null && rope.has("partial_rotary_factor")
        ? rope.requiredDouble("partial_rotary_factor")
        : json.has("partial_rotary_factor") ? json.requiredDouble("partial_rotary_factor")
        : json.optionalDouble("rotary_pct", defaultPartial);
    int dim = (int) (headDim * partial);
    if (!(partial > 0 && partial <= 1) || dim < 2 || dim % 2 != 0) {
      throw new InvalidConfigException(json.file() + ": partial_rotary_factor " + partial + " of head_dim " + headDim
          + " gives " + dim + " rotary dimensions; an even number from 2 to head_dim is needed");
    }
    return dim;
  }

  private static void requirePositive(ConfigJson json, String key, int value) {
    if (value <= 0) {
      throw new InvalidConfigException(json.file() + ": \"" + key + "\" must be positive, got " + value);
    }
  }
}

package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.UnsupportedArchitectureException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The architectures Barista runs, by their config.json name. */
public final class ArchitectureRegistry {
  private static final Map<String, Function<ModelConfig, Architecture>> KNOWN = new LinkedHashMap<>();

  static {
    KNOWN.put("LlamaForCausalLM", c -> new Architecture("LlamaForCausalLM",
        c.attentionBias(), c.attentionBias(), c.mlpBias(), false, false, false));
    KNOWN.put("MistralForCausalLM", c -> new Architecture("MistralForCausalLM",
        false, false, false, false, true, false));
    KNOWN.put("Qwen2ForCausalLM", c -> new Architecture("Qwen2ForCausalLM",
        true, false, false, false, true, false));
    KNOWN.put("Qwen3ForCausalLM", c -> new Architecture("Qwen3ForCausalLM",
        c.attentionBias(), c.attentionBias(), false, true, true, false));
    // mixtures of experts (ModelConfig.moe): Mixtral is Mistral's body, the Qwen MoEs their dense twins'
    KNOWN.put("MixtralForCausalLM", c -> new Architecture("MixtralForCausalLM",
        false, false, false, false, true, false));
    KNOWN.put("Qwen2MoeForCausalLM", c -> new Architecture("Qwen2MoeForCausalLM",
        true, false, false, false, true, false));
    KNOWN.put("Qwen3MoeForCausalLM", c -> new Architecture("Qwen3MoeForCausalLM",
        c.attentionBias(), c.attentionBias(), false, true, true, false));
    // OLMoE: Llama's layer with q/k norms over the whole projections (Architecture.wholeQkNorm) and
    // Qwen-MoE's expert names
    KNOWN.put("OlmoeForCausalLM", c -> new Architecture("OlmoeForCausalLM", c.attentionBias(), c.attentionBias(), false,
        true, false, false, false, false, false, false, true, -1, false, false, true, false));
    // Granite: Llama's computation with scalar multipliers (ModelConfig.multipliers)
    KNOWN.put("GraniteForCausalLM", c -> new Architecture("GraniteForCausalLM",
        c.attentionBias(), c.attentionBias(), c.mlpBias(), false, false, false));
    // Granite-MoE: Granite's multipliers with fused expert tensors (MoeLoader); GraniteMoeShared adds
    // an ungated shared expert
    KNOWN.put("GraniteMoeForCausalLM", c -> new Architecture("GraniteMoeForCausalLM",
        c.attentionBias(), c.attentionBias(), false, false, false, false));
    KNOWN.put("GraniteMoeSharedForCausalLM", c -> new Architecture("GraniteMoeSharedForCausalLM",
        c.attentionBias(), c.attentionBias(), false, false, false, false));
    // GPT-OSS: biases on q/k/v/o, attention sinks (Architecture.attentionSinks), alternating
    // sliding layers, and fused experts with biases and a clamped SwiGLU (Moe.swigluClamp)
    KNOWN.put("GptOssForCausalLM", c -> new Architecture("GptOssForCausalLM",
        c.attentionBias(), c.attentionBias(), false, false, true, false));
    // SmolLM3: Llama's computation with every fourth layer (no_rope_layers) unrotated
    KNOWN.put("SmolLM3ForCausalLM", c -> new Architecture("SmolLM3ForCausalLM",
        c.attentionBias(), c.attentionBias(), c.mlpBias(), false, true, false));
    // Phi-3: Llama's computation over fused projections, and config's sliding window
    KNOWN.put("Phi3ForCausalLM", c -> new Architecture("Phi3ForCausalLM",
        false, false, false, false, true, true));
    // Gemma: GELU(tanh) MLP, norms scaling by 1 + w, embeddings times sqrt(hidden_size); Gemma 2
    // adds sandwich norms, soft-capping and alternating windows; Gemma 3 q/k norms and a second
    // rotary base for its sliding layers (ModelConfig.activation, softcaps, localRope)
    KNOWN.put("GemmaForCausalLM", c -> Architecture.gemma("GemmaForCausalLM", c.attentionBias(), false, false));
    KNOWN.put("Gemma2ForCausalLM", c -> Architecture.gemma("Gemma2ForCausalLM", c.attentionBias(), false, true));
    KNOWN.put("Gemma3ForCausalLM", c -> Architecture.gemma("Gemma3ForCausalLM", c.attentionBias(), true, true));
    // GPT-style: LayerNorm, biases, ungated MLP, learned positions (OPT's table starts at row 2)
    KNOWN.put("OPTForCausalLM", c -> Architecture.gptStyle("OPTForCausalLM", 2));
    KNOWN.put("GPT2LMHeadModel", c -> Architecture.gptStyle("GPT2LMHeadModel", 0));
    // GPT-NeoX and Phi: the same layer with partial rotary embeddings and (ModelConfig) a parallel residual
    KNOWN.put("GPTNeoXForCausalLM", c -> Architecture.gptStyle("GPTNeoXForCausalLM", -1));
    KNOWN.put("PhiForCausalLM", c -> Architecture.gptStyle("PhiForCausalLM", -1));
    // Starcoder2: LayerNorm, biases where use_bias, a plain c_fc/c_proj MLP, sliding window;
    // StableLM: LayerNorm, a gated SiLU MLP, q/k/v biases where use_qkv_bias, partial rotary
    KNOWN.put("Starcoder2ForCausalLM", c -> new Architecture("Starcoder2ForCausalLM", c.attentionBias(), c.attentionBias(),
        c.mlpBias(), false, true, false, false, false, false, true, false, -1, false, false, false, false));
    KNOWN.put("StableLmForCausalLM", c -> new Architecture("StableLmForCausalLM", c.attentionBias(), false, false,
        false, false, false, false, false, false, true, true, -1, false, false, false, false));
    KNOWN.put("GPTJForCausalLM", c -> Architecture.gptj("GPTJForCausalLM"));
    // Falcon: LayerNorm, biases where config says bias, an ungated GELU MLP, rotary embeddings,
    // a parallel block (parallel_attn) with one or two norms, multi-query or grouped kv heads
    KNOWN.put("FalconForCausalLM", c -> new Architecture("FalconForCausalLM", c.attentionBias(), c.attentionBias(),
        c.attentionBias(), false, false, false, false, false, false, true, false, -1, false, false, false, false));
    // ALiBi (ModelConfig.alibi) instead of positions: Bloom, a GPT-style body whose embeddings are
    // normalized (ModelWeights.embeddingNorm); MPT, LayerNorm without biases and no bias anywhere;
    // Falcon-RW is Falcon with alibi true
    KNOWN.put("BloomForCausalLM", c -> Architecture.gptStyle("BloomForCausalLM", -1));
    KNOWN.put("MptForCausalLM", c -> new Architecture("MptForCausalLM", false, false, false, false, false, false, false,
        false, false, true, false, -1, false, false, false, false));
    // Cohere (Command R): LayerNorm without bias, a parallel block, interleaved rotary, logits times
    // logit_scale (ModelConfig.multipliers)
    KNOWN.put("CohereForCausalLM", c -> new Architecture("CohereForCausalLM", c.attentionBias(), c.attentionBias(), false,
        false, false, false, false, false, false, true, true, -1, false, true, false, false));
    // Cohere 2 (Command R7B, A): Cohere's layer with sliding layers, which alone rotate (ModelConfig.ropeLayers)
    KNOWN.put("Cohere2ForCausalLM", c -> new Architecture("Cohere2ForCausalLM", c.attentionBias(), c.attentionBias(), false,
        false, true, false, false, false, false, true, true, -1, false, true, false, false));
    // GLM-4: q/k/v biases, a fused gate_up_proj, interleaved partial rotary; GLM-4-0414 (Glm4) adds
    // norms on the attention and MLP outputs
    KNOWN.put("GlmForCausalLM", c -> Architecture.glm("GlmForCausalLM", c.attentionBias(), false));
    KNOWN.put("Glm4ForCausalLM", c -> Architecture.glm("Glm4ForCausalLM", c.attentionBias(), true));
    // GLM-4.5/4.6: GQA with q/k/v biases, optional per-head q/k norms (use_qk_norm) and half-split
    // partial rotary; DeepSeek-V2 (V2-Lite, Coder-V2) and V3 (Kimi K2, Moonlight): latent attention
    // (ModelConfig.mla) with interleaved rotary pairs where Mla.interleavedRope; all three route their
    // experts by Moe.groupedTopK
    KNOWN.put("Glm4MoeForCausalLM", c -> new Architecture("Glm4MoeForCausalLM",
        c.attentionBias(), false, false, c.useQkNorm(), false, false));
    // dots.llm1: Qwen3's attention (per-head q/k norms) with DeepSeek-V3's mixture (Moe.groupedTopK)
    KNOWN.put("Dots1ForCausalLM", c -> new Architecture("Dots1ForCausalLM",
        c.attentionBias(), c.attentionBias(), false, true, true, false));
    for (String deepseek : List.of("DeepseekV2ForCausalLM", "DeepseekV3ForCausalLM")) {
      KNOWN.put(deepseek, c -> new Architecture(deepseek, false, false, false, false, false, false, false, false, false,
          false, true, -1, false, c.mla().interleavedRope(), false, false));
    }
    // OLMo 2 and 3: norms on the attention and MLP outputs only; OLMo 3 adds sliding layers
    KNOWN.put("Olmo2ForCausalLM", c -> Architecture.postNormed("Olmo2ForCausalLM", c.attentionBias(), true));
    KNOWN.put("Olmo3ForCausalLM", c -> Architecture.postNormed("Olmo3ForCausalLM", c.attentionBias(), true));
    // EXAONE 4: OLMo 2's output norms with per-head q/k norms; with a sliding window, its full
    // layers do not rotate (ModelConfig.ropeLayers)
    KNOWN.put("Exaone4ForCausalLM", c -> Architecture.postNormed("Exaone4ForCausalLM", false, false));
    // OLMo: LayerNorm without weight or bias (the loader supplies unit weights), q/k/v clipped
    // (ModelConfig.clipQkv)
    KNOWN.put("OlmoForCausalLM", c -> new Architecture("OlmoForCausalLM", c.attentionBias(), c.attentionBias(), false,
        false, false, false, false, false, false, true, true, -1, false, false, false, false));
    // Helium and ERNIE 4.5: Llama with interleaved rotary pairs (ERNIE: biases everywhere where use_bias);
    // Seed-OSS: its own switch for the output projection's bias; Arcee: an ungated relu2 MLP
    KNOWN.put("HeliumForCausalLM", c -> Architecture.llamaLike("HeliumForCausalLM", c.attentionBias(), false,
        c.mlpBias(), true, true));
    KNOWN.put("Ernie4_5ForCausalLM", c -> Architecture.llamaLike("Ernie4_5ForCausalLM", c.attentionBias(),
        c.attentionBias(), c.mlpBias(), true, true));
    // ERNIE 4.5 MoE: dense ERNIE 4.5's layer with a mixture routed by a corrected softmax (Moe.groupedTopK)
    KNOWN.put("Ernie4_5_MoeForCausalLM", c -> Architecture.llamaLike("Ernie4_5_MoeForCausalLM", c.attentionBias(),
        c.attentionBias(), c.mlpBias(), true, true));
    KNOWN.put("SeedOssForCausalLM", c -> Architecture.llamaLike("SeedOssForCausalLM", c.attentionBias(),
        c.attentionOutputBias(), c.mlpBias(), false, true));
    KNOWN.put("ArceeForCausalLM", c -> Architecture.llamaLike("ArceeForCausalLM", c.attentionBias(), c.attentionBias(),
        c.mlpBias(), false, false));
    // Nemotron: LayerNorm scaling by 1 + weight (the loader adds the 1), an ungated relu2 MLP, partial rotary
    KNOWN.put("NemotronForCausalLM", c -> new Architecture("NemotronForCausalLM", c.attentionBias(), c.attentionBias(),
        c.mlpBias(), false, false, false, false, true, false, true, false, -1, false, false, false, false));
    // HunYuan dense: Llama with per-head q/k norms applied after RoPE
    // Llama 4 (text): interleaved rotary pairs on its chunked layers only (ModelConfig.ropeLayers,
    // chunkedAttention), weightless q/k norms after RoPE on those layers where use_qk_norm, scaled
    // queries on the others (attentionTemperature), and sigmoid-routed experts (Moe.sigmoidScaledInputs)
    KNOWN.put("Llama4ForCausalLM", c -> new Architecture("Llama4ForCausalLM", c.attentionBias(), c.attentionBias(),
        false, c.useQkNorm(), false, false, false, false, false, false, true, -1, false, true, false, true));
    KNOWN.put("HunYuanDenseV1ForCausalLM", c -> new Architecture("HunYuanDenseV1ForCausalLM", c.attentionBias(),
        c.attentionBias(), c.mlpBias(), true, false, false, false, false, false, false, true, -1, false, false, false, true));
  }

  private ArchitectureRegistry() {}

  public static Set<String> supported() {
    return KNOWN.keySet();
  }

  /**
   * The description of {@code config.architecture()}, or a typed error listing the supported ones.
   * {@code XForSequenceClassification} is X's body with a classification head, for every X here.
   */
  public static Architecture describe(ModelConfig config) {
    String name = config.architecture();
    String suffix = "ForSequenceClassification";
    if (name.endsWith(suffix)) {
      Function<ModelConfig, Architecture> body = KNOWN.get(name.substring(0, name.length() - suffix.length()) + "ForCausalLM");
      if (body != null) return body.apply(config).asSequenceClassifier(name);
    }
    Function<ModelConfig, Architecture> f = KNOWN.get(name);
    if (f == null) throw new UnsupportedArchitectureException(name, supported());
    return f.apply(config);
  }
}

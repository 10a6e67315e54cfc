package dev.barista.engine.config;

import java.util.List;

/**
 * A mixture-of-experts MLP (Mixtral, Qwen2-MoE, Qwen3-MoE, GPT-OSS): a router picks {@code topK} of
 * {@code experts} gated experts per token by softmax probability, renormalised to sum to 1 where
 * {@code normalizeTopK} (which equals GPT-OSS's softmax over the top k logits); Qwen2-MoE adds a
 * shared expert whose output a sigmoid gate scales. DeepSeek-V2, DeepSeek-V3 and GLM-4.5 route by
 * {@code groupedTopK} instead and add their shared experts ungated; Llama 4 by {@code
 * sigmoidScaledInputs}, with an ungated shared expert.
 *
 * @param expertIntermediate each expert's intermediate width (moe_intermediate_size; Mixtral: intermediate_size)
 * @param sharedIntermediate the shared expert's width, 0 for none
 * @param sparseLayers per layer, whether its MLP is the mixture (decoder_sparse_step, mlp_only_layers,
 *     first_k_dense_replace)
 * @param groupedTopK the group-limited router (DeepSeek-V2, DeepSeek-V3, GLM-4.5); null for the plain
 *     softmax top-k
 * @param swigluClamp GPT-OSS's clamped activation of the experts, which replaces config's activation;
 *     null elsewhere
 * @param sigmoidScaledInputs Llama 4's router: the top k experts by logit, each with the sigmoid of
 *     its logit (not renormalised) as its score, which multiplies the expert's input rather than its
 *     output (the gated MLP is not linear, so the two differ)
 */
public record Moe(int experts, int topK, int expertIntermediate, boolean normalizeTopK, int sharedIntermediate,
    List<Boolean> sparseLayers, GroupedTopK groupedTopK, SwigluClamp swigluClamp, boolean sigmoidScaledInputs) {
  public Moe {
    sparseLayers = List.copyOf(sparseLayers);
  }

  public Moe(int experts, int topK, int expertIntermediate, boolean normalizeTopK, int sharedIntermediate,
      List<Boolean> sparseLayers) {
    this(experts, topK, expertIntermediate, normalizeTopK, sharedIntermediate, sparseLayers, null, null, false);
  }

  public Moe(int experts, int topK, int expertIntermediate, boolean normalizeTopK, int sharedIntermediate,
      List<Boolean> sparseLayers, GroupedTopK groupedTopK, SwigluClamp swigluClamp) {
    this(experts, topK, expertIntermediate, normalizeTopK, sharedIntermediate, sparseLayers, groupedTopK, swigluClamp,
        false);
  }

  public boolean sparse(int layer) {
    return sparseLayers.get(layer);
  }
}

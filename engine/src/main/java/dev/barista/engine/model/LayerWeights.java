package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;

/**
 * One decoder layer's tensors. Optional ones (biases, q/k norms, output norms) are null when the
 * architecture does not have them. Matrices are [out, in] as Hugging Face stores them.
 *
 * @param postAttentionNorm the MLP's input norm (Gemma 2 and 3: pre_feedforward_layernorm)
 * @param attentionOutputNorm Gemma 2/3's norm of the attention output (their post_attention_layernorm)
 * @param mlpOutputNorm Gemma 2/3's norm of the MLP output (post_feedforward_layernorm)
 * @param inputNormBias, postAttentionNormBias LayerNorm biases (OPT, GPT-2); null for RMSNorm
 * @param gate null for an ungated MLP, whose one projection is {@code up}
 * @param moe the mixture of experts of a sparse layer (gate, up and down are then null); null otherwise
 * @param mla the latent-attention projections (DeepSeek-V2 and V3; q, k and v are then null); null otherwise
 * @param sinks GPT-OSS's per-head attention sink logits [num_heads]; null elsewhere
 */
public record LayerWeights(
    Tensor inputNorm,
    Tensor q,
    Tensor k,
    Tensor v,
    Tensor o,
    Tensor qBias,
    Tensor kBias,
    Tensor vBias,
    Tensor oBias,
    Tensor qNorm,
    Tensor kNorm,
    Tensor postAttentionNorm,
    Tensor gate,
    Tensor up,
    Tensor down,
    Tensor gateBias,
    Tensor upBias,
    Tensor downBias,
    Tensor attentionOutputNorm,
    Tensor mlpOutputNorm,
    Tensor inputNormBias,
    Tensor postAttentionNormBias,
    MoeWeights moe,
    MlaWeights mla,
    Tensor sinks) {

  /** A layer without latent attention or attention sinks. */
  public LayerWeights(Tensor inputNorm, Tensor q, Tensor k, Tensor v, Tensor o, Tensor qBias, Tensor kBias, Tensor vBias,
      Tensor oBias, Tensor qNorm, Tensor kNorm, Tensor postAttentionNorm, Tensor gate, Tensor up, Tensor down,
      Tensor gateBias, Tensor upBias, Tensor downBias, Tensor attentionOutputNorm, Tensor mlpOutputNorm,
      Tensor inputNormBias, Tensor postAttentionNormBias, MoeWeights moe) {
    this(inputNorm, q, k, v, o, qBias, kBias, vBias, oBias, qNorm, kNorm, postAttentionNorm, gate, up, down, gateBias,
        upBias, downBias, attentionOutputNorm, mlpOutputNorm, inputNormBias, postAttentionNormBias, moe, null, null);
  }
}

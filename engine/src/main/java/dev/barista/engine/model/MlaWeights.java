package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;

/**
 * A latent-attention layer's projections (see {@code config.Mla}); matrices [out, in].
 *
 * @param q q_proj [heads * qk_head_dim, hidden] where queries are not low-rank; null otherwise
 * @param qA q_a_proj [q_lora_rank, hidden], with qANorm (q_a_layernorm) and qB (q_b_proj
 *     [heads * qk_head_dim, q_lora_rank]); null where q is set
 * @param kvA kv_a_proj_with_mqa [kv_lora_rank + qk_rope_head_dim, hidden]
 * @param kvANorm kv_a_layernorm [kv_lora_rank]
 * @param kvB kv_b_proj [heads * (qk_nope_head_dim + v_head_dim), kv_lora_rank]: per head, its key's
 *     unrotated part, then its value
 */
public record MlaWeights(Tensor q, Tensor qA, Tensor qANorm, Tensor qB, Tensor kvA, Tensor kvANorm, Tensor kvB) {}

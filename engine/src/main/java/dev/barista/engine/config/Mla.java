package dev.barista.engine.config;

/**
 * DeepSeek's multi-head latent attention (DeepSeek-V2/V3, Kimi K2, Moonlight). Queries come from
 * q_proj, or through the low-rank q_a_proj, q_a_layernorm and q_b_proj; keys and values from one
 * compressed vector: kv_a_proj_with_mqa gives kvLoraRank latent values and qkRopeHeadDim rotary
 * values shared by every head; kv_a_layernorm and kv_b_proj expand the latent part into each
 * head's unrotated key (qkNopeHeadDim) and value (vHeadDim). Each head's query and key are the
 * unrotated part followed by the rotated one, so {@link ModelConfig#headDim()} is their sum and
 * {@link ModelConfig#rotaryDim()} is qkRopeHeadDim.
 *
 * @param qLoraRank q_lora_rank; 0 where queries come from one q_proj (q_lora_rank null)
 * @param interleavedRope rope_interleave: the rotated pairs are adjacent dimensions (2i, 2i + 1)
 * @param softmaxMscale yarn_get_mscale(factor, mscale_all_dim) where a rope scaling states
 *     mscale_all_dim, else 1: DeepSeek multiplies the softmax scale by its square
 */
public record Mla(int qLoraRank, int kvLoraRank, int qkNopeHeadDim, int qkRopeHeadDim, int vHeadDim,
    boolean interleavedRope, double softmaxMscale) {

  /** Whether queries pass through the low-rank q_a_proj / q_b_proj pair. */
  public boolean lowRankQueries() {
    return qLoraRank > 0;
  }
}

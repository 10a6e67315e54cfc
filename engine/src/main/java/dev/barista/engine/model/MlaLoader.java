package dev.barista.engine.model;

import dev.barista.engine.config.Mla;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.WeightSource;

/** A latent-attention layer's tensors under DeepSeek's names (self_attn.q_a_proj, kv_b_proj, ...). */
final class MlaLoader {
  private MlaLoader() {}

  static MlaWeights load(ModelConfig c, WeightSource src, String attentionPrefix) {
    Mla mla = c.mla();
    long h = c.hiddenSize();
    long q = c.qDim();
    String a = attentionPrefix;
    boolean lowRank = mla.lowRankQueries();
    return new MlaWeights(
        lowRank ? null : src.load(a + "q_proj.weight", q, h),
        lowRank ? src.load(a + "q_a_proj.weight", mla.qLoraRank(), h) : null,
        lowRank ? src.load(a + "q_a_layernorm.weight", mla.qLoraRank()) : null,
        lowRank ? src.load(a + "q_b_proj.weight", q, mla.qLoraRank()) : null,
        src.load(a + "kv_a_proj_with_mqa.weight", mla.kvLoraRank() + mla.qkRopeHeadDim(), h),
        src.load(a + "kv_a_layernorm.weight", mla.kvLoraRank()),
        src.load(a + "kv_b_proj.weight", (long) c.numHeads() * (mla.qkNopeHeadDim() + mla.vHeadDim()), mla.kvLoraRank()));
  }
}

package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.Tensor;
import dev.barista.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;

/** Resolves the Hugging Face tensor names of an architecture from a weight source. */
public final class ModelWeightsLoader {
  private ModelWeightsLoader() {}

  public static ModelWeights load(ModelConfig c, Architecture arch, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    long q = c.qDim();
    long kv = c.kvDim();
    Tensor embedding = src.load("model.embed_tokens.weight", c.vocabSize(), h);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      String a = p + "self_attn.";
      String m = p + "mlp.";
      layers.add(new LayerWeights(
          src.load(p + "input_layernorm.weight", h),
          src.load(a + "q_proj.weight", q, h),
          src.load(a + "k_proj.weight", kv, h),
          src.load(a + "v_proj.weight", kv, h),
          src.load(a + "o_proj.weight", h, q),
          arch.qkvBias() ? src.load(a + "q_proj.bias", q) : null,
          arch.qkvBias() ? src.load(a + "k_proj.bias", kv) : null,
          arch.qkvBias() ? src.load(a + "v_proj.bias", kv) : null,
          arch.outputBias() ? src.load(a + "o_proj.bias", h) : null,
          arch.qkNorm() ? src.load(a + "q_norm.weight", c.headDim()) : null,
          arch.qkNorm() ? src.load(a + "k_norm.weight", c.headDim()) : null,
          src.load(p + "post_attention_layernorm.weight", h),
          src.load(m + "gate_proj.weight", inter, h),
          src.load(m + "up_proj.weight", inter, h),
          src.load(m + "down_proj.weight", h, inter),
          arch.mlpBias() ? src.load(m + "gate_proj.bias", inter) : null,
          arch.mlpBias() ? src.load(m + "up_proj.bias", inter) : null,
          arch.mlpBias() ? src.load(m + "down_proj.bias", h) : null));
    }
    Tensor norm = src.load("model.norm.weight", h);
    Tensor lmHead = c.tieWordEmbeddings() ? embedding : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, norm, lmHead);
  }
}

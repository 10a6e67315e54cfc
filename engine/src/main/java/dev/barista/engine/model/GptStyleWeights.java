package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.Tensor;
import dev.barista.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of OPT and GPT-2 checkpoints as {@link LayerWeights}: LayerNorm weights and biases,
 * q/k/v/o and the two MLP projections with biases ({@code up} = fc1, {@code down} = fc2, no gate),
 * and the learned position table. GPT-2 stores its projections as Conv1D ([in, out]); they are
 * transposed into the usual [out, in] on load, and c_attn split into q, k and v.
 */
final class GptStyleWeights {
  private GptStyleWeights() {}

  static ModelWeights load(ModelConfig c, Architecture arch, WeightSource src) {
    return arch.name().equals("GPT2LMHeadModel") ? gpt2(c, src) : opt(c, arch, src);
  }

  private static ModelWeights opt(ModelConfig c, Architecture arch, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    String d = "model.decoder.";
    Tensor embedding = src.load(d + "embed_tokens.weight", c.vocabSize(), h);
    Tensor positions = src.load(d + "embed_positions.weight", c.maxPositionEmbeddings() + arch.positionOffset(), h);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = d + "layers." + i + ".";
      String a = p + "self_attn.";
      layers.add(new LayerWeights(
          src.load(p + "self_attn_layer_norm.weight", h),
          src.load(a + "q_proj.weight", h, h), src.load(a + "k_proj.weight", h, h), src.load(a + "v_proj.weight", h, h),
          src.load(a + "out_proj.weight", h, h),
          src.load(a + "q_proj.bias", h), src.load(a + "k_proj.bias", h), src.load(a + "v_proj.bias", h),
          src.load(a + "out_proj.bias", h),
          null, null,
          src.load(p + "final_layer_norm.weight", h),
          null, src.load(p + "fc1.weight", inter, h), src.load(p + "fc2.weight", h, inter),
          null, src.load(p + "fc1.bias", inter), src.load(p + "fc2.bias", h),
          null, null,
          src.load(p + "self_attn_layer_norm.bias", h), src.load(p + "final_layer_norm.bias", h)));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(d + "final_layer_norm.weight", h), lmHead, null,
        src.load(d + "final_layer_norm.bias", h), positions);
  }

  private static ModelWeights gpt2(ModelConfig c, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    // checkpoints converted from the original GPT-2 have no "transformer." prefix
    String t = src.contains("transformer.wte.weight") ? "transformer." : "";
    Tensor embedding = src.load(t + "wte.weight", c.vocabSize(), h);
    Tensor positions = src.load(t + "wpe.weight", c.maxPositionEmbeddings(), h);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = t + "h." + i + ".";
      Tensor qkv = src.load(p + "attn.c_attn.weight", h, 3 * h).transposed(p + "attn.c_attn.weight");
      Tensor[] w = ModelWeightsLoader.split(qkv, p + "attn.", new String[] {"q_proj", "k_proj", "v_proj"}, h, h, h);
      Tensor qkvBias = src.load(p + "attn.c_attn.bias", 3 * h);
      layers.add(new LayerWeights(
          src.load(p + "ln_1.weight", h),
          w[0], w[1], w[2],
          src.load(p + "attn.c_proj.weight", h, h).transposed(p + "attn.c_proj.weight"),
          qkvBias.elementSlice(p + "attn.q_proj.bias", 0, h), qkvBias.elementSlice(p + "attn.k_proj.bias", h, h),
          qkvBias.elementSlice(p + "attn.v_proj.bias", 2 * h, h),
          src.load(p + "attn.c_proj.bias", h),
          null, null,
          src.load(p + "ln_2.weight", h),
          null,
          src.load(p + "mlp.c_fc.weight", h, inter).transposed(p + "mlp.c_fc.weight"),
          src.load(p + "mlp.c_proj.weight", inter, h).transposed(p + "mlp.c_proj.weight"),
          null, src.load(p + "mlp.c_fc.bias", inter), src.load(p + "mlp.c_proj.bias", h),
          null, null,
          src.load(p + "ln_1.bias", h), src.load(p + "ln_2.bias", h)));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(t + "ln_f.weight", h), lmHead, null,
        src.load(t + "ln_f.bias", h), positions);
  }
}

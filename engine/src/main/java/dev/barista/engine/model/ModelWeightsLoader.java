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
    if (arch.layerNorm()) {
      ModelWeights w = GptStyleWeights.load(c, arch, src);
      if (!arch.sequenceClassifier()) return w;
      // the same body with its score head: the generated token of a pooling request is never used
      return new ModelWeights(w.embedding(), w.layers(), w.finalNorm(), w.embedding(),
          src.load("score.weight", c.numLabels(), c.hiddenSize()), w.finalNormBias(), w.positionEmbedding(), null,
          w.embeddingNorm(), w.embeddingNormBias());
    }
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    long q = c.qDim();
    long kv = c.kvDim();
    Tensor embedding = src.load("model.embed_tokens.weight", c.vocabSize(), h);
    Norms norms = new Norms(src, arch.offsetNorms());
    NormNames names = NormNames.of(arch);
    boolean llama4 = arch.name().startsWith("Llama4");
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      String a = p + "self_attn.";
      String m = p + (llama4 ? "feed_forward." : "mlp.");
      // fused where the architecture says so, or where the checkpoint has only the fused tensor (GLM's gate_up_proj)
      boolean fusedQkv = arch.fusedProjections() || (!src.contains(a + "q_proj.weight") && src.contains(a + "qkv_proj.weight"));
      boolean fusedGateUp = arch.fusedProjections()
          || (!src.contains(m + "gate_proj.weight") && src.contains(m + "gate_up_proj.weight"));
      MlaWeights mla = c.mla() != null ? MlaLoader.load(c, src, a) : null;
      Tensor[] qkv = mla != null ? new Tensor[3] : fusedQkv
          ? split(src.load(a + "qkv_proj.weight", q + 2 * kv, h), a, new String[] {"q_proj", "k_proj", "v_proj"}, q, kv, kv)
          : new Tensor[] {src.load(a + "q_proj.weight", q, h), src.load(a + "k_proj.weight", kv, h),
              src.load(a + "v_proj.weight", kv, h)};
      boolean sparse = c.moe() != null && c.moe().sparse(i);
      MoeWeights moe = sparse ? MoeLoader.load(c, arch, src, p) : null;
      Tensor[] gateUp = sparse ? new Tensor[2] : fusedGateUp
          ? split(src.load(m + "gate_up_proj.weight", 2 * inter, h), m, new String[] {"gate_proj", "up_proj"}, inter, inter)
          : new Tensor[] {arch.gatedMlp() ? src.load(m + "gate_proj.weight", inter, h) : null,
              src.load(m + "up_proj.weight", inter, h)};
      layers.add(new LayerWeights(
          arch.postNormsOnly() ? null : norms.load(p + "input_layernorm.weight", h),
          qkv[0],
          qkv[1],
          qkv[2],
          src.load(a + "o_proj.weight", h, c.attentionOutputDim()),
          arch.qkvBias() ? src.load(a + "q_proj.bias", q) : null,
          arch.qkvBias() ? src.load(a + "k_proj.bias", kv) : null,
          arch.qkvBias() ? src.load(a + "v_proj.bias", kv) : null,
          arch.outputBias() ? src.load(a + "o_proj.bias", h) : null,
          !arch.qkNorm() ? null : llama4 ? weightlessQkNorm(c, i, a + "q_norm")
              : norms.load(a + names.qNorm(), arch.wholeQkNorm() ? q : c.headDim()),
          !arch.qkNorm() ? null : llama4 ? weightlessQkNorm(c, i, a + "k_norm")
              : norms.load(a + names.kNorm(), arch.wholeQkNorm() ? kv : c.headDim()),
          arch.postNormsOnly() ? null : norms.load(p + names.mlpInput(), h),
          gateUp[0],
          gateUp[1],
          sparse ? null : src.load(m + "down_proj.weight", h, inter),
          arch.mlpBias() && arch.gatedMlp() ? src.load(m + "gate_proj.bias", inter) : null,
          arch.mlpBias() ? src.load(m + "up_proj.bias", inter) : null,
          arch.mlpBias() ? src.load(m + "down_proj.bias", h) : null,
          arch.sandwichNorms() || arch.postNormsOnly() ? norms.load(p + names.attentionOutput(), h) : null,
          arch.sandwichNorms() || arch.postNormsOnly() ? norms.load(p + names.mlpOutput(), h) : null,
          null,
          null,
          moe,
          mla,
          arch.attentionSinks() ? src.load(a + "sinks", c.numHeads()) : null));
    }
    Tensor norm = norms.load("model.norm.weight", h);
    if (arch.sequenceClassifier()) {
      return new ModelWeights(embedding, layers, norm, embedding, src.load("score.weight", c.numLabels(), h));
    }
    Tensor lmHead = c.tieWordEmbeddings() ? embedding : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, norm, lmHead, null);
  }

  /** What a layer's MLP input norm, its attention and MLP output norms and its q/k norms are called. */
  private record NormNames(String mlpInput, String attentionOutput, String mlpOutput, String qNorm, String kNorm) {
    static NormNames of(Architecture arch) {
      boolean hunyuan = arch.name().startsWith("HunYuan");
      String qNorm = hunyuan ? "query_layernorm.weight" : "q_norm.weight";
      String kNorm = hunyuan ? "key_layernorm.weight" : "k_norm.weight";
      if (arch.name().startsWith("Glm4")) {
        return new NormNames("post_attention_layernorm.weight", "post_self_attn_layernorm.weight", "post_mlp_layernorm.weight",
            qNorm, kNorm);
      }
      return new NormNames(arch.sandwichNorms() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight",
          "post_attention_layernorm.weight", "post_feedforward_layernorm.weight", qNorm, kNorm);
    }
  }

  /** Norm weights as the runners apply them: Gemma's and Nemotron's (scaling by 1 + w) with the 1 added, in f32. */
  record Norms(WeightSource src, boolean offset) {
    Tensor load(String name, long dim) {
      Tensor t = src.load(name, dim);
      if (!offset) return t;
      float[] w = t.toFloatArray();
      for (int i = 0; i < w.length; i++) w[i] += 1f;
      return Tensor.ofFloats(name, w);
    }
  }

  /**
   * Llama 4's per-head q/k norm, an RMSNorm without weight (its L2Norm), as unit weights; only its
   * rotating layers have one (null on the others).
   */
  private static Tensor weightlessQkNorm(ModelConfig c, int layer, String name) {
    if (!c.rotates(layer)) return null;
    float[] ones = new float[c.headDim()];
    java.util.Arrays.fill(ones, 1f);
    return Tensor.ofFloats(name + " (no weight)", ones);
  }

  /** A fused projection's row blocks, in order, named as the unfused checkpoints name them. */
  static Tensor[] split(Tensor fused, String prefix, String[] names, long... rows) {
    Tensor[] parts = new Tensor[rows.length];
    long from = 0;
    for (int i = 0; i < rows.length; i++) {
      parts[i] = fused.rowSlice(prefix + names[i] + ".weight", from, rows[i]);
      from += rows[i];
    }
    return parts;
  }
}

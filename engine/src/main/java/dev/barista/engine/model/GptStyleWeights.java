package dev.barista.engine.model;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.Tensor;
import dev.barista.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;

/**
 * The tensors of the LayerNorm bodies (OPT, GPT-2, GPT-NeoX, GPT-J, Phi, Starcoder2, StableLM,
 * Cohere, Falcon, Bloom, MPT, Nemotron, OLMo) as {@link LayerWeights}: LayerNorm weights and biases,
 * q/k/v/o and the two MLP projections with biases ({@code up} = fc1, {@code down} = fc2, no gate),
 * and the learned position table. GPT-2 stores its projections as Conv1D ([in, out]); they are
 * transposed into the usual [out, in] on load, and c_attn split into q, k and v.
 */
final class GptStyleWeights {
  private GptStyleWeights() {}

  static ModelWeights load(ModelConfig c, Architecture arch, WeightSource src) {
    // a sequence classifier loads its body's tensors (and ModelWeightsLoader its score head)
    return switch (arch.name().replace("ForSequenceClassification", "ForCausalLM")) {
      case "GPT2LMHeadModel" -> gpt2(c, src);
      case "GPTNeoXForCausalLM" -> neox(c, src);
      case "GPTJForCausalLM" -> gptj(c, src);
      case "CohereForCausalLM", "Cohere2ForCausalLM" -> cohere(c, arch, src);
      case "FalconForCausalLM", "BloomForCausalLM" -> falcon(c, arch, src);
      case "MptForCausalLM" -> mpt(c, src);
      case "PhiForCausalLM" -> llamaNamed(c, arch, src, new Names("dense", "fc1", "fc2", "model.final_layernorm"));
      case "Starcoder2ForCausalLM" -> llamaNamed(c, arch, src, new Names("o_proj", "c_fc", "c_proj", "model.norm"));
      case "StableLmForCausalLM", "NemotronForCausalLM" ->
          llamaNamed(c, arch, src, new Names("o_proj", "up_proj", "down_proj", "model.norm"));
      case "OlmoForCausalLM" -> llamaNamed(c, arch, src, new Names("o_proj", "up_proj", "down_proj", "model.norm"),
          LayerNorms.parameterFree(c.hiddenSize()));
      default -> opt(c, arch, src);
    };
  }

  /**
   * GPT-NeoX: query_key_value holds, per head, that head's q, k and v rows one after another; they
   * are gathered into q, k and v (weights and biases).
   */
  private static ModelWeights neox(ModelConfig c, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    int heads = c.numHeads();
    long hd = c.headDim();
    String m = "gpt_neox.";
    Tensor embedding = src.load(m + "embed_in.weight", c.vocabSize(), h);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = m + "layers." + i + ".";
      String a = p + "attention.";
      Tensor qkv = src.load(a + "query_key_value.weight", 3 * h, h);
      Tensor qkvBias = src.load(a + "query_key_value.bias", 3 * h);
      Tensor[] w = new Tensor[3];
      Tensor[] b = new Tensor[3];
      String[] names = {"q_proj", "k_proj", "v_proj"};
      for (int part = 0; part < 3; part++) {
        w[part] = qkv.rowBlocks(a + names[part] + ".weight", part * hd, hd, 3 * hd, heads);
        b[part] = qkvBias.rowBlocks(a + names[part] + ".bias", part * hd, hd, 3 * hd, heads);
      }
      layers.add(new LayerWeights(
          src.load(p + "input_layernorm.weight", h),
          w[0], w[1], w[2], src.load(a + "dense.weight", h, h),
          b[0], b[1], b[2], src.load(a + "dense.bias", h),
          null, null,
          src.load(p + "post_attention_layernorm.weight", h),
          null, src.load(p + "mlp.dense_h_to_4h.weight", inter, h), src.load(p + "mlp.dense_4h_to_h.weight", h, inter),
          null, src.load(p + "mlp.dense_h_to_4h.bias", inter), src.load(p + "mlp.dense_4h_to_h.bias", h),
          null, null,
          src.load(p + "input_layernorm.bias", h), src.load(p + "post_attention_layernorm.bias", h), null));
    }
    // transformers 5 names the head lm_head; earlier checkpoints embed_out
    Tensor lmHead = c.tieWordEmbeddings() || !(src.contains("embed_out.weight") || src.contains("lm_head.weight")) ? embedding
        : src.load(src.contains("embed_out.weight") ? "embed_out.weight" : "lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(m + "final_layer_norm.weight", h), lmHead, null,
        src.load(m + "final_layer_norm.bias", h), null, null);
  }

  /** GPT-J: ln_1 feeds both attention and MLP; unbiased q/k/v/out, a biased MLP and LM head. */
  private static ModelWeights gptj(ModelConfig c, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    String t = "transformer.";
    Tensor embedding = src.load(t + "wte.weight", c.vocabSize(), h);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = t + "h." + i + ".";
      Tensor norm = src.load(p + "ln_1.weight", h);
      Tensor normBias = src.load(p + "ln_1.bias", h);
      layers.add(new LayerWeights(
          norm,
          src.load(p + "attn.q_proj.weight", h, h), src.load(p + "attn.k_proj.weight", h, h),
          src.load(p + "attn.v_proj.weight", h, h), src.load(p + "attn.out_proj.weight", h, h),
          null, null, null, null,
          null, null,
          norm,
          null, src.load(p + "mlp.fc_in.weight", inter, h), src.load(p + "mlp.fc_out.weight", h, inter),
          null, src.load(p + "mlp.fc_in.bias", inter), src.load(p + "mlp.fc_out.bias", h),
          null, null,
          normBias, normBias, null));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    Tensor lmHeadBias = src.contains("lm_head.bias") ? src.load("lm_head.bias", c.vocabSize()) : null;
    return new ModelWeights(embedding, layers, src.load(t + "ln_f.weight", h), lmHead, null,
        src.load(t + "ln_f.bias", h), null, lmHeadBias);
  }

  /**
   * Cohere: Llama's names, one LayerNorm without a bias feeding attention and MLP (a zero bias
   * stands in, so that the runners' LayerNorm applies), and tied embeddings.
   */
  private static ModelWeights cohere(ModelConfig c, Architecture arch, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    long q = c.qDim();
    long kv = c.kvDim();
    Tensor embedding = src.load("model.embed_tokens.weight", c.vocabSize(), h);
    Tensor zeroBias = Tensor.ofFloats("layernorm.bias (none)", new float[(int) h]);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      String a = p + "self_attn.";
      String m = p + "mlp.";
      Tensor norm = src.load(p + "input_layernorm.weight", h);
      boolean bias = arch.qkvBias();
      layers.add(new LayerWeights(
          norm,
          src.load(a + "q_proj.weight", q, h), src.load(a + "k_proj.weight", kv, h),
          src.load(a + "v_proj.weight", kv, h), src.load(a + "o_proj.weight", h, q),
          bias ? src.load(a + "q_proj.bias", q) : null, bias ? src.load(a + "k_proj.bias", kv) : null,
          bias ? src.load(a + "v_proj.bias", kv) : null, bias ? src.load(a + "o_proj.bias", h) : null,
          null, null,
          norm,
          src.load(m + "gate_proj.weight", inter, h), src.load(m + "up_proj.weight", inter, h),
          src.load(m + "down_proj.weight", h, inter),
          null, null, null,
          null, null,
          zeroBias, zeroBias, null));
    }
    Tensor lmHead = c.tieWordEmbeddings() ? embedding : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load("model.norm.weight", h), lmHead, null, zeroBias, null, null);
  }

  /**
   * Falcon and Bloom: query_key_value holds, per kv head, its query heads' rows, then its key and
   * value rows (multi-query Falcon-7B: one group; multi-head Falcon and Bloom: groups of one query
   * head, NeoX's layout); they are gathered into q, k and v. A parallel block reads ln_attn and ln_mlp
   * (the new decoder architecture) or one input_layernorm; a sequential one adds
   * post_attention_layernorm. Biases everywhere where config says bias (Bloom: always). Bloom
   * normalizes its embeddings with word_embeddings_layernorm.
   */
  private static ModelWeights falcon(ModelConfig c, Architecture arch, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    long hd = c.headDim();
    int nkv = c.numKvHeads();
    long perKv = c.numHeads() / nkv;
    long group = (perKv + 2) * hd;
    String t = "transformer.";
    Tensor embedding = src.load(t + "word_embeddings.weight", c.vocabSize(), h);
    boolean bias = arch.qkvBias();
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = t + "h." + i + ".";
      String a = p + "self_attention.";
      Tensor qkv = src.load(a + "query_key_value.weight", nkv * group, h);
      Tensor qkvBias = bias ? src.load(a + "query_key_value.bias", nkv * group) : null;
      boolean twoNorms = c.parallelResidual() && src.contains(p + "ln_attn.weight");
      String attnNorm = twoNorms ? p + "ln_attn." : p + "input_layernorm.";
      String mlpNorm = twoNorms ? p + "ln_mlp." : c.parallelResidual() ? attnNorm : p + "post_attention_layernorm.";
      layers.add(new LayerWeights(
          src.load(attnNorm + "weight", h),
          qkv.rowBlocks(a + "q_proj.weight", 0, perKv * hd, group, nkv),
          qkv.rowBlocks(a + "k_proj.weight", perKv * hd, hd, group, nkv),
          qkv.rowBlocks(a + "v_proj.weight", (perKv + 1) * hd, hd, group, nkv),
          src.load(a + "dense.weight", h, c.qDim()),
          bias ? qkvBias.rowBlocks(a + "q_proj.bias", 0, perKv * hd, group, nkv) : null,
          bias ? qkvBias.rowBlocks(a + "k_proj.bias", perKv * hd, hd, group, nkv) : null,
          bias ? qkvBias.rowBlocks(a + "v_proj.bias", (perKv + 1) * hd, hd, group, nkv) : null,
          bias ? src.load(a + "dense.bias", h) : null,
          null, null,
          src.load(mlpNorm + "weight", h),
          null, src.load(p + "mlp.dense_h_to_4h.weight", inter, h), src.load(p + "mlp.dense_4h_to_h.weight", h, inter),
          null, bias ? src.load(p + "mlp.dense_h_to_4h.bias", inter) : null, bias ? src.load(p + "mlp.dense_4h_to_h.bias", h) : null,
          null, null,
          src.load(attnNorm + "bias", h), src.load(mlpNorm + "bias", h), null));
    }
    Tensor lmHead = c.tieWordEmbeddings() ? embedding : src.load("lm_head.weight", c.vocabSize(), h);
    boolean bloom = arch.name().startsWith("Bloom");
    return new ModelWeights(embedding, layers, src.load(t + "ln_f.weight", h), lmHead, null, src.load(t + "ln_f.bias", h),
        null, null, bloom ? src.load(t + "word_embeddings_layernorm.weight", h) : null,
        bloom ? src.load(t + "word_embeddings_layernorm.bias", h) : null);
  }

  /**
   * MPT: Wqkv holds all query rows, then all key rows, then all value rows; no projection has a
   * bias, and the LayerNorms none either (a zero bias stands in, so that the runners' LayerNorm
   * applies). The LM head is the embedding.
   */
  private static ModelWeights mpt(ModelConfig c, WeightSource src) {
    long h = c.hiddenSize();
    long inter = c.intermediateSize();
    String t = "transformer.";
    Tensor embedding = src.load(t + "wte.weight", c.vocabSize(), h);
    Tensor zeroBias = Tensor.ofFloats("layernorm.bias (none)", new float[(int) h]);
    List<LayerWeights> layers = new ArrayList<>();
    for (int i = 0; i < c.numLayers(); i++) {
      String p = t + "blocks." + i + ".";
      String a = p + "attn.";
      Tensor[] qkv = ModelWeightsLoader.split(src.load(a + "Wqkv.weight", 3 * h, h), a,
          new String[] {"q_proj", "k_proj", "v_proj"}, h, h, h);
      layers.add(new LayerWeights(
          src.load(p + "norm_1.weight", h),
          qkv[0], qkv[1], qkv[2], src.load(a + "out_proj.weight", h, h),
          null, null, null, null,
          null, null,
          src.load(p + "norm_2.weight", h),
          null, src.load(p + "ffn.up_proj.weight", inter, h), src.load(p + "ffn.down_proj.weight", h, inter),
          null, null, null,
          null, null,
          zeroBias, zeroBias, null));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(t + "norm_f.weight", h), lmHead, null, zeroBias, null, null);
  }

  /** What Phi, Starcoder2 and StableLM call the output projection, the MLP's two projections and the final norm. */
  private record Names(String o, String up, String down, String finalNorm) {}

  /**
   * LayerNorm weights and biases as the runners apply them: as stored, Nemotron's (LayerNorm1P,
   * scaling by 1 + w) with the 1 added, or for OLMo's norms without parameters unit weights and zero
   * biases.
   */
  private interface LayerNorms {
    Tensor weight(String norm, long dim);

    Tensor bias(String norm, long dim);

    static LayerNorms stored(WeightSource src, boolean offset) {
      ModelWeightsLoader.Norms weights = new ModelWeightsLoader.Norms(src, offset);
      return new LayerNorms() {
        public Tensor weight(String norm, long dim) {
          return weights.load(norm + ".weight", dim);
        }

        public Tensor bias(String norm, long dim) {
          return src.load(norm + ".bias", dim);
        }
      };
    }

    static LayerNorms parameterFree(int dim) {
      float[] ones = new float[dim];
      java.util.Arrays.fill(ones, 1f);
      Tensor unit = Tensor.ofFloats("layernorm.weight (none)", ones);
      Tensor zero = Tensor.ofFloats("layernorm.bias (none)", new float[dim]);
      return new LayerNorms() {
        public Tensor weight(String norm, long d) {
          return unit;
        }

        public Tensor bias(String norm, long d) {
          return zero;
        }
      };
    }
  }

  private static ModelWeights llamaNamed(ModelConfig c, Architecture arch, WeightSource src, Names names) {
    return llamaNamed(c, arch, src, names, LayerNorms.stored(src, arch.offsetNorms()));
  }

  /**
   * Phi, Starcoder2, StableLM, Nemotron and OLMo: Llama's attention names with LayerNorm biases. A
   * parallel block (Phi, a parallel StableLM) has one input norm for both branches; Phi's LM head
   * has a bias.
   */
  private static ModelWeights llamaNamed(ModelConfig c, Architecture arch, WeightSource src, Names names,
      LayerNorms norms) {
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
      String post = c.parallelResidual() ? "input_layernorm" : "post_attention_layernorm";
      layers.add(new LayerWeights(
          norms.weight(p + "input_layernorm", h),
          src.load(a + "q_proj.weight", q, h), src.load(a + "k_proj.weight", kv, h), src.load(a + "v_proj.weight", kv, h),
          src.load(a + names.o() + ".weight", h, q),
          arch.qkvBias() ? src.load(a + "q_proj.bias", q) : null, arch.qkvBias() ? src.load(a + "k_proj.bias", kv) : null,
          arch.qkvBias() ? src.load(a + "v_proj.bias", kv) : null,
          arch.outputBias() ? src.load(a + names.o() + ".bias", h) : null,
          null, null,
          norms.weight(p + post, h),
          arch.gatedMlp() ? src.load(m + "gate_proj.weight", inter, h) : null,
          src.load(m + names.up() + ".weight", inter, h),
          src.load(m + names.down() + ".weight", h, inter),
          null,
          arch.mlpBias() ? src.load(m + names.up() + ".bias", inter) : null,
          arch.mlpBias() ? src.load(m + names.down() + ".bias", h) : null,
          null, null,
          norms.bias(p + "input_layernorm", h), norms.bias(p + post, h), null));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    Tensor lmHeadBias = src.contains("lm_head.bias") ? src.load("lm_head.bias", c.vocabSize()) : null;
    return new ModelWeights(embedding, layers, norms.weight(names.finalNorm(), h), lmHead, null,
        norms.bias(names.finalNorm(), h), null, lmHeadBias);
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
          src.load(p + "self_attn_layer_norm.bias", h), src.load(p + "final_layer_norm.bias", h), null));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(d + "final_layer_norm.weight", h), lmHead, null,
        src.load(d + "final_layer_norm.bias", h), positions, null);
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
          src.load(p + "ln_1.bias", h), src.load(p + "ln_2.bias", h), null));
    }
    Tensor lmHead = c.tieWordEmbeddings() || !src.contains("lm_head.weight") ? embedding
        : src.load("lm_head.weight", c.vocabSize(), h);
    return new ModelWeights(embedding, layers, src.load(t + "ln_f.weight", h), lmHead, null,
        src.load(t + "ln_f.bias", h), positions, null);
  }
}

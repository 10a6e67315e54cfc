package dev.barista.engine.config;

import dev.barista.engine.weights.DType;
import java.nio.file.Path;
import java.util.List;

/**
 * The shapes and hyper-parameters of a decoder-only transformer, parsed from a Hugging Face
 * config.json by {@link ModelConfigParser}. Backend-free: the CPU and CUDA runners both read it.
 *
 * @param architecture the architectures[0] entry, e.g. "Qwen3ForCausalLM"
 * @param headDim per-head width; config's head_dim or hidden_size / num_attention_heads
 * @param ropeScaling null when positions are not rescaled
 * @param eosTokenIds end-of-sequence ids from config.json (generation_config.json may add more)
 * @param dtype the weights' dtype as the config states it (torch_dtype / dtype), used by dummy
 *     weights; defaults to BF16 when absent
 * @param slidingWindow attention window in tokens, or 0 for full attention
 * @param slidingLayers per layer, whether it attends within the window (Qwen2/Qwen3 configs name
 *     them; every layer otherwise)
 * @param classLabels a sequence classifier's class names by index (id2label; LABEL_i for
 *     num_labels classes without names; two by default)
 * @param multipliers Granite's embedding, residual, attention and logits multipliers, and Gemma's
 *     embedding normalizer and query_pre_attn_scalar, MPT's softmax_scale ({@link Multipliers#NONE} for
 *     other architectures)
 * @param ropeLayers per layer, whether it rotates queries and keys (SmolLM3's no_rope_layers: every
 *     fourth layer has no positional rotation; every layer otherwise)
 * @param activation the gated MLP's activation (SiLU; Gemma's tanh-approximated GELU)
 * @param softcaps Gemma 2's attention and final logit soft-capping ({@link Softcaps#NONE} otherwise)
 * @param localRope Gemma 3's rotary base of its sliding layers; null where every layer rotates alike
 * @param rotaryDim how many leading dimensions of each head rotate (head_dim times
 *     partial_rotary_factor or GPT-NeoX's rotary_pct); head_dim for most models
 * @param parallelResidual attention and MLP both read the layer's input and both outputs join the
 *     residual stream together (GPT-NeoX's use_parallel_residual, Phi)
 * @param moe the mixture-of-experts MLP (Mixtral, Qwen2-MoE, Qwen3-MoE); null for dense models
 * @param attentionOutputBias the attention output projection carries a bias: Seed-OSS's
 *     attention_out_bias, attention_bias for the others
 * @param clipQkv OLMo's clip_qkv (MPT's attn_config.clip_qkv): queries, keys and values are clamped to [-clipQkv, clipQkv] after
 *     their projections (and q/k norms), before RoPE; 0 for no clamping
 * @param useQkNorm config's use_qk_norm (default false; Llama 4's true): per-head q/k RMSNorms where
 *     the architecture makes them optional (GLM-4.5, Llama 4); architectures that always have them
 *     (Qwen3) do not read it
 * @param mla DeepSeek's multi-head latent attention; null for every other model
 * @param alibi the linear attention biases that stand in for position embeddings (Bloom, MPT,
 *     Falcon-RW; such models rotate no layer); null for every other model
 * @param chunkedAttention Llama 4's chunked local attention layers; null for every other model
 * @param attentionTemperature Llama 4's query scaling by position on the layers that do not rotate;
 *     null where queries are not scaled
 */
public record ModelConfig(
    String architecture,
    String modelType,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int vocabSize,
    int maxPositionEmbeddings,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    boolean mlpBias,
    Integer bosTokenId,
    List<Integer> eosTokenIds,
    DType dtype,
    int slidingWindow,
    List<Boolean> slidingLayers,
    List<Boolean> ropeLayers,
    Multipliers multipliers,
    List<String> classLabels,
    Activation activation,
    Softcaps softcaps,
    LocalRope localRope,
    int rotaryDim,
    boolean parallelResidual,
    Moe moe,
    boolean attentionOutputBias,
    double clipQkv,
    boolean useQkNorm,
    Mla mla,
    Alibi alibi,
    ChunkedAttention chunkedAttention,
    AttentionTemperature attentionTemperature) {

  public ModelConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
    slidingLayers = List.copyOf(slidingLayers);
    ropeLayers = List.copyOf(ropeLayers);
    classLabels = List.copyOf(classLabels);
    if (slidingLayers.size() != numLayers || ropeLayers.size() != numLayers
        || (localRope != null && localRope.layers().size() != numLayers)
        || (chunkedAttention != null && chunkedAttention.layers().size() != numLayers)) {
      throw new IllegalArgumentException(slidingLayers.size() + " sliding-layer and " + ropeLayers.size()
          + " rope-layer flags for " + numLayers + " layers");
    }
  }

  /** A sequence classifier's number of classes. */
  public int numLabels() {
    return classLabels.size();
  }

  /** Whether {@code layer} rotates its queries and keys (false: a NoPE layer). */
  public boolean rotates(int layer) {
    return ropeLayers.get(layer);
  }

  /** The attention window of {@code layer} in tokens, 0 for full attention. */
  public int windowOf(int layer) {
    return slidingLayers.get(layer) ? slidingWindow : 0;
  }

  /** Reads {@code dir/config.json}. */
  public static ModelConfig load(Path dir) {
    return ModelConfigParser.parse(dir.resolve("config.json"));
  }

  public int qDim() {
    return numHeads * headDim;
  }

  public int kvDim() {
    return numKvHeads * headDim;
  }

  /** Each head's value width: headDim, but for MLA's v_head_dim. */
  public int valueHeadDim() {
    return mla == null ? headDim : mla.vHeadDim();
  }

  /** The values' width per token (numKvHeads value heads). */
  public int valueDim() {
    return numKvHeads * valueHeadDim();
  }

  /** The attention output's width per token, o_proj's input (one value head per query head). */
  public int attentionOutputDim() {
    return numHeads * valueHeadDim();
  }

  /**
   * The longest sequence the model takes, as vLLM derives it: max_position_embeddings, times the
   * factor of a linear scaling, or yarn's original context times its factor. Llama 3.1's and
   * longrope's configs already state the extended context; dynamic NTK stays within
   * max_position_embeddings, where transformers leaves it unscaled.
   */
  public int derivedMaxModelLen() {
    if (localRope != null) return maxPositionEmbeddings; // Gemma 3 states its scaled context already
    return switch (ropeScaling) {
      case RopeScaling.Linear linear -> (int) (maxPositionEmbeddings * linear.factor());
      case RopeScaling.Yarn yarn -> (int) (yarn.originalMaxPositionEmbeddings() * yarn.factor());
      case null, default -> maxPositionEmbeddings;
    };
  }

  /** Query heads sharing one key/value head (grouped-query attention). */
  public int queriesPerKvHead() {
    return numHeads / numKvHeads;
  }

  /**
   * A copy with other linear attention biases: the reference tests match transformers' eager Falcon,
   * which adds Falcon-RW's biases twice.
   */
  public ModelConfig withAlibi(Alibi newAlibi) {
    return new ModelConfig(architecture, modelType, hiddenSize, intermediateSize, numLayers,
        numHeads, numKvHeads, headDim, vocabSize, maxPositionEmbeddings, rmsNormEps, ropeTheta,
        ropeScaling, tieWordEmbeddings, attentionBias, mlpBias, bosTokenId, eosTokenIds, dtype,
        slidingWindow, slidingLayers, ropeLayers, multipliers, classLabels, activation, softcaps, localRope, rotaryDim,
        parallelResidual, moe, attentionOutputBias, clipQkv, useQkNorm, mla, newAlibi,
        chunkedAttention, attentionTemperature);
  }

  /** A copy with another dtype (e.g. the --dtype override for dummy weights). */
  public ModelConfig withDtype(DType newDtype) {
    return new ModelConfig(architecture, modelType, hiddenSize, intermediateSize, numLayers,
        numHeads, numKvHeads, headDim, vocabSize, maxPositionEmbeddings, rmsNormEps, ropeTheta,
        ropeScaling, tieWordEmbeddings, attentionBias, mlpBias, bosTokenId, eosTokenIds, newDtype,
        slidingWindow, slidingLayers, ropeLayers, multipliers, classLabels, activation, softcaps, localRope, rotaryDim, parallelResidual, moe,
        attentionOutputBias, clipQkv, useQkNorm, mla, alibi, chunkedAttention, attentionTemperature);
  }
}

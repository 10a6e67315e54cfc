package dev.barista.engine.model;

/**
 * What distinguishes one supported decoder architecture from another, as data both the CPU and the
 * CUDA runner read: Llama's pre-norm RMSNorm transformer with rotary attention and a gated MLP is
 * the baseline; these flags name the differences.
 *
 * @param name the config.json architectures entry
 * @param qkvBias q/k/v projections carry a bias (Qwen2 always; Llama when attention_bias)
 * @param outputBias the attention output projection carries a bias (Llama when attention_bias)
 * @param mlpBias gate/up/down projections carry a bias (Llama when mlp_bias)
 * @param qkNorm per-head RMSNorm of queries and keys before RoPE (Qwen3)
 * @param slidingWindow whether config's sliding_window limits attention (Mistral, Phi-3)
 * @param fusedProjections the checkpoint stores q/k/v as one qkv_proj and gate/up as one
 *     gate_up_proj (Phi-3); the loader splits them into the usual views
 * @param sequenceClassifier an {@code *ForSequenceClassification} checkpoint: the same body, and a
 *     {@code score} head over the last position instead of an LM head
 * @param offsetNorms every norm scales by 1 + weight (Gemma's RMSNorm, Nemotron's LayerNorm1P); the
 *     loader adds the 1
 * @param sandwichNorms the attention and MLP outputs are normalized before they join the residual
 *     stream (Gemma 2 and 3: post_attention_layernorm and post_feedforward_layernorm, the MLP's input
 *     norm then being pre_feedforward_layernorm; GLM-4-0414: post_self_attn_layernorm and
 *     post_mlp_layernorm)
 * @param layerNorm the norms are LayerNorm (mean removed, then weight and bias) instead of RMSNorm
 *     (OPT, GPT-2; OLMo's have no parameters, which the loader supplies as 1 and 0)
 * @param gatedMlp act(gate) * up (true), or one up projection act(fc1 x) (OPT, GPT-2)
 * @param positionOffset learned absolute position embeddings, row position + offset (OPT 2, GPT-2
 *     0), and no rotary embedding; -1 for models without a position table (rotary, or ALiBi: see
 *     ModelConfig.alibi)
 * @param postNormsOnly no norm before attention or MLP, only on their outputs (OLMo 2 and 3, EXAONE 4)
 * @param interleavedRope rotary pairs are adjacent dimensions (2i, 2i + 1), GPT-J's, Cohere's and
 *     GLM's layout, rather than i and i + rotary_dim / 2
 * @param wholeQkNorm the q/k norms span the whole q and k projections rather than each head (OLMo 2
 *     and 3, OLMoE)
 * @param qkNormAfterRope the per-head q/k norms apply to the rotated queries and keys (HunYuan)
 *     rather than before the rotation
 */
public record Architecture(
    String name,
    boolean qkvBias,
    boolean outputBias,
    boolean mlpBias,
    boolean qkNorm,
    boolean slidingWindow,
    boolean fusedProjections,
    boolean sequenceClassifier,
    boolean offsetNorms,
    boolean sandwichNorms,
    boolean layerNorm,
    boolean gatedMlp,
    int positionOffset,
    boolean postNormsOnly,
    boolean interleavedRope,
    boolean wholeQkNorm,
    boolean qkNormAfterRope) {

  public Architecture(String name, boolean qkvBias, boolean outputBias, boolean mlpBias, boolean qkNorm,
      boolean slidingWindow, boolean fusedProjections) {
    this(name, qkvBias, outputBias, mlpBias, qkNorm, slidingWindow, fusedProjections, false, false, false, false, true, -1,
        false, false, false, false);
  }

  /** Llama's layer with the differences a few later models make: {@code interleaved} rotary pairs, an ungated MLP. */
  static Architecture llamaLike(String name, boolean qkvBias, boolean outputBias, boolean mlpBias, boolean interleaved,
      boolean gatedMlp) {
    return new Architecture(name, qkvBias, outputBias, mlpBias, false, false, false, false, false, false, false, gatedMlp,
        -1, false, interleaved, false, false);
  }

  /** A Gemma body: offset norms, tied embeddings; {@code sandwich} from Gemma 2 on. */
  static Architecture gemma(String name, boolean bias, boolean qkNorm, boolean sandwich) {
    return new Architecture(name, bias, bias, false, qkNorm, true, false, false, true, sandwich, false, true, -1, false,
        false, false, false);
  }

  /**
   * A GPT-style body (OPT, GPT-2, GPT-NeoX, Phi, Bloom): LayerNorm, biases on every projection, an
   * ungated MLP, and learned positions from row {@code positionOffset} (-1: rotary embeddings or ALiBi
   * instead).
   */
  static Architecture gptStyle(String name, int positionOffset) {
    return new Architecture(name, true, true, true, false, false, false, false, false, false, true, false, positionOffset,
        false, false, false, false);
  }

  /**
   * Output norms only, q/k norms before RoPE: over the whole projections (OLMo 2 and 3, {@code
   * wholeQkNorm}) or per head (EXAONE 4).
   */
  static Architecture postNormed(String name, boolean bias, boolean wholeQkNorm) {
    return new Architecture(name, bias, bias, false, true, true, false, false, false, true, false, true, -1, true, false,
        wholeQkNorm, false);
  }

  /** GPT-J: LayerNorm, a parallel block, interleaved partial rotary, biases on the MLP and LM head only. */
  static Architecture gptj(String name) {
    return new Architecture(name, false, false, true, false, false, false, false, false, false, true, false, -1, false, true,
        false, false);
  }

  /** GLM and GLM-4-0414: interleaved (partial) rotary; {@code outputNorms} for the latter's sandwich norms. */
  static Architecture glm(String name, boolean qkvBias, boolean outputNorms) {
    return new Architecture(name, qkvBias, false, false, false, false, false, false, false, outputNorms, false, true, -1,
        false, true, false, false);
  }

  /**
   * Whether each attention head has a learned sink (GPT-OSS's self_attn.sinks): one more logit in the
   * softmax's denominator that contributes no value.
   */
  public boolean attentionSinks() {
    return name.startsWith("GptOss");
  }

  /** Whether positions come from a learned table rather than rotary embeddings. */
  public boolean learnedPositions() {
    return positionOffset >= 0;
  }

  /** The same body as a sequence classifier named {@code classifierName}. */
  Architecture asSequenceClassifier(String classifierName) {
    return new Architecture(classifierName, qkvBias, outputBias, mlpBias, qkNorm, slidingWindow, fusedProjections,
        true, offsetNorms, sandwichNorms, layerNorm, gatedMlp, positionOffset, postNormsOnly, interleavedRope, wholeQkNorm,
        qkNormAfterRope);
  }
}

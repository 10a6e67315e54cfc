package dev.barista.hub.shard;

import java.util.regex.Pattern;

/**
 * How one tensor is divided among tensor-parallel ranks (Megatron-style): column-parallel
 * projections split their output dimension (rows of the [out, in] weight), row-parallel ones
 * their input dimension, embeddings and the LM head split the vocabulary; the rest is copied.
 */
public enum TensorSplit {
  /** Every rank holds the whole tensor (norms, biases of row-parallel layers, small tensors). */
  REPLICATED(-1),
  /** q/k/v/gate/up projections: dim 0 of the weight and the bias. */
  COLUMN(0),
  /** o/down projections: dim 1 of the weight; their outputs are summed across ranks. */
  ROW(1),
  /** Embedding and LM head rows, one vocabulary slice per rank. */
  VOCAB(0);

  private static final Pattern COLUMN_NAMES = Pattern.compile(".*\\.(q_proj|k_proj|v_proj|gate_proj|up_proj)\\.(weight|bias)$");
  private static final Pattern ROW_NAMES = Pattern.compile(".*\\.(o_proj|down_proj)\\.weight$");
  private static final Pattern VOCAB_NAMES = Pattern.compile("(.*\\.)?(embed_tokens|lm_head)\\.weight$");
  private static final Pattern FUSED_NAMES = Pattern.compile(".*\\.(qkv_proj|gate_up_proj|c_attn|query_key_value)\\.(weight|bias)$");

  private final int dim;

  TensorSplit(int dim) {
    this.dim = dim;
  }

  /** The dimension split, or -1 when replicated. */
  public int dim() {
    return dim;
  }

  /** The split for a tensor; throws naming the tensor when it cannot be divided evenly by tp. */
  public static TensorSplit of(String name, long[] shape, int tp) {
    if (tp == 1) return REPLICATED;
    if (FUSED_NAMES.matcher(name).matches()) {
      throw new IllegalArgumentException(name + ": fused projections cannot be sharded yet (unfuse q/k/v and gate/up first)");
    }
    TensorSplit split;
    if (COLUMN_NAMES.matcher(name).matches()) split = COLUMN;
    else if (ROW_NAMES.matcher(name).matches()) split = ROW;
    else if (VOCAB_NAMES.matcher(name).matches()) split = shape.length == 2 && shape[0] % tp == 0 ? VOCAB : REPLICATED;
    else split = REPLICATED;
    if (split.dim >= 0) {
      if (shape.length <= split.dim) throw new IllegalArgumentException(name + ": has no dimension " + split.dim + " to split");
      if (shape[split.dim] % tp != 0) {
        throw new IllegalArgumentException(
            name + ": dimension " + split.dim + " (" + shape[split.dim] + ") is not divisible by tp=" + tp);
      }
    }
    return split;
  }
}

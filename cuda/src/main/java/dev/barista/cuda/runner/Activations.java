package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.PersistentDecode;
import dev.barista.engine.config.ModelConfig;

/**
 * Device buffers for one step's activations, sized once for the most tokens a step may hold, so
 * that no step allocates (and CUDA graphs can capture fixed addresses).
 */
final class Activations implements AutoCloseable {
  private final DeviceBuffers buffers;
  final int maxTokens;
  final int maxLogitRows;
  final int partialRows;
  final long x; // [T, hidden] layer outputs (embedding, o-proj, down-proj); bf16 or f32 elements
  final long residual; // [T, hidden] f32: the residual stream
  final long normed; // [T, hidden]
  final long qkv; // [T, (nq + 2 nkv) D]
  final long attention; // [T, nq D]
  final long gateUp; // [T, 2 I] (I: the widest dense MLP)
  final long act; // [T, I]
  final long logits; // [maxLogitRows, vocab] f32
  final long sampled; // [maxLogitRows] int
  final long partAcc; // [partialRows, D] f32: split-attention partial outputs
  final long partMl; // [partialRows, 2] f32
  // [2 (nq + 2 nkv)] ints (zeroed by the runner): per-head counts of the fused QKV projection; the
  // persistent kernel's merge counts (the first nkv) and the epoch of its QKV words' tags ([nq + 2 nkv])
  final long headCounts;
  final long qkvWords; // [tokens][(nq + 2 nkv) D] 8-byte words: the persistent kernel's QKV rows with tags (zeroed by the runner)
  final long qkvWordsCapacity; // words qkvWords holds: PersistentDecode.MAX_TOKENS tokens' rows
  final long greedyWord; // one 8-byte word: the argmax of the persistent kernel's logits (it zeroes it itself)

  /** @param es bytes of an activation element: 2 (bf16) or 4 (the f32 math mode) */
  Activations(CudaDriver d, ModelConfig c, int maxTokens, int maxLogitRows, int partialRows, int es) {
    this.buffers = new DeviceBuffers(d);
    this.maxTokens = maxTokens;
    this.maxLogitRows = maxLogitRows;
    this.partialRows = partialRows;
    long t = maxTokens;
    x = alloc(es * t * c.hiddenSize());
    residual = alloc(4 * t * c.hiddenSize());
    normed = alloc(es * t * c.hiddenSize());
    qkv = alloc(es * t * (c.qDim() + 2L * c.kvDim()));
    attention = alloc(es * t * c.qDim());
    // (Qwen2-MoE's shared expert, computed in these, may be wider than the dense layers' MLP)
    long mlpWidth = Math.max(c.intermediateSize(), c.moe() == null ? 0 : c.moe().sharedIntermediate());
    gateUp = alloc(es * t * 2 * mlpWidth);
    act = alloc(es * t * mlpWidth);
    logits = alloc(4L * maxLogitRows * c.vocabSize());
    sampled = alloc(4L * maxLogitRows);
    partAcc = alloc(4L * partialRows * c.headDim());
    partMl = alloc(8L * partialRows);
    headCounts = alloc(8L * (c.numHeads() + 2L * c.numKvHeads()));
    qkvWordsCapacity = (long) PersistentDecode.MAX_TOKENS * (c.qDim() + 2L * c.kvDim());
    qkvWords = alloc(8L * qkvWordsCapacity);
    greedyWord = alloc(8);
  }

  private long alloc(long bytes) {
    return buffers.alloc(bytes);
  }

  @Override
  public void close() {
    buffers.close();
  }
}

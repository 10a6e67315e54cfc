package dev.barista.engine.cpu;

import dev.barista.engine.config.Softcaps;
import dev.barista.engine.model.AttentionSpan;
import dev.barista.engine.simd.Lanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal scaled dot-product attention of each query token over its own sequence's keys and values
 * in the paged cache (positions 0..its own, or the part of them its layer's {@link AttentionSpan} lets it see: a
 * sliding window, Llama 4's chunk), with grouped-query
 * heads sharing a KV head, value heads that may be narrower than key heads (DeepSeek's latent
 * attention), a per-head sink logit in the softmax where the model has one (GPT-OSS), and a per-head
 * linear bias by distance where the model has one (ALiBi). Parallel over (token, head).
 */
final class PagedAttention {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  private static final long INLINE_WORK = 1 << 18;

  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final int valueHeadDim;
  private final AttentionSpan[] layerSpans;
  private final float scale;
  private final float softcap;
  private final float[][] layerSinks;
  private final float[] alibiSlopes;

  /**
   * @param headDim each query and key head's width
   * @param valueHeadDim each value head's width, which is also each output head's
   * @param layerSpans each layer's span of visible keys
   * @param scale the softmax scale (1/sqrt(headDim), times a rope scaling's attention factor squared)
   * @param softcap Gemma 2's score cap (scores become cap * tanh(score / cap)); 0 for none
   * @param layerSinks each layer's per-head sink logits (GPT-OSS), null for a layer without
   * @param alibiSlopes per query head, the slope of the ALiBi bias on the scaled scores ({@code
   *     Alibi.scoreSlopes}): the score of key position j for query position i gains slope * (j - i);
   *     null for a model without
   */
  PagedAttention(int heads, int kvHeads, int headDim, int valueHeadDim, AttentionSpan[] layerSpans, float scale, float softcap,
      float[][] layerSinks, float[] alibiSlopes) {
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.valueHeadDim = valueHeadDim;
    this.layerSpans = layerSpans.clone();
    this.scale = scale;
    this.softcap = softcap;
    this.layerSinks = layerSinks.clone();
    this.alibiSlopes = alibiSlopes == null ? null : alibiSlopes.clone();
  }

  /**
   * @param q queries [tokens][heads * headDim]
   * @param positions each token's position in its sequence
   * @param blockTables each token's sequence block table
   * @param out [tokens][heads * valueHeadDim]
   */
  void compute(PagedKvCache cache, int layer, float[] q, int tokens, int[] positions,
      int[][] blockTables, float[] out) {
    MemorySegment keys = cache.keys(layer);
    MemorySegment values = cache.values(layer);
    int group = heads / kvHeads;
    AttentionSpan span = layerSpans[layer];
    float[] sinks = layerSinks[layer];
    long keysRead = 0;
    for (int t = 0; t < tokens; t++) keysRead += (long) heads * (positions[t] + 1);
    // A short decode step is cheaper on this thread than waking the others.
    int grain = keysRead * headDim < INLINE_WORK ? tokens * heads : Parallel.grainFor(tokens * heads, 1);
    Parallel.forRange(tokens * heads, grain, (from, to) -> {
      float[] scores = null;
      for (int item = from; item < to; item++) {
        int t = item / heads;
        int h = item % heads;
        int pos = positions[t];
        int start = span.firstVisible(pos);
        int n = pos - start + 1;
        if (scores == null || scores.length < n) scores = new float[Math.max(n, 64)];
        int qOff = (t * heads + h) * headDim;
        long keyHeadBytes = (long) (h / group) * headDim * Float.BYTES;
        long valueHeadBytes = (long) (h / group) * valueHeadDim * Float.BYTES;
        for (int j = 0; j < n; j++) {
          long off = cache.keyOffset(cache.slot(blockTables[t], start + j)) + keyHeadBytes;
          scores[j] = Softcaps.apply(dot(q, qOff, keys, off) * scale, softcap);
        }
        if (alibiSlopes != null) {
          // relative to the query, so the biases stay small however long the sequence
          for (int j = 0; j < n; j++) scores[j] += alibiSlopes[h] * (start + j - pos);
        }
        float inv = softmaxNumerators(scores, n, sinks == null ? Float.NEGATIVE_INFINITY : sinks[h]);
        int oOff = (t * heads + h) * valueHeadDim;
        java.util.Arrays.fill(out, oOff, oOff + valueHeadDim, 0f);
        for (int j = 0; j < n; j++) {
          long off = cache.valueOffset(cache.slot(blockTables[t], start + j)) + valueHeadBytes;
          axpy(scores[j] * inv, values, off, out, oOff);
        }
      }
    });
  }

  /**
   * Replaces n scores by their softmax numerators exp(score - max) and returns 1 / the denominator,
   * which also counts exp(sink - max): a sink logit (GPT-OSS's per head; -infinity for none) takes
   * a share of the attention that goes to no value.
   */
  static float softmaxNumerators(float[] scores, int n, float sink) {
    float max = sink;
    for (int j = 0; j < n; j++) max = Math.max(max, scores[j]);
    float sum = (float) Math.exp(sink - max);
    for (int j = 0; j < n; j++) {
      scores[j] = (float) Math.exp(scores[j] - max);
      sum += scores[j];
    }
    return 1f / sum;
  }

  private float dot(float[] q, int qOff, MemorySegment k, long off) {
    FloatVector acc = FloatVector.zero(FS);
    int i = 0;
    for (int end = FS.loopBound(headDim); i < end; i += FS.length()) {
      acc = FloatVector.fromArray(FS, q, qOff + i)
          .fma(FloatVector.fromMemorySegment(FS, k, off + 4L * i, NATIVE), acc);
    }
    float s = Lanes.sum(acc);
    for (; i < headDim; i++) s += q[qOff + i] * k.get(Layouts.FLOAT, off + 4L * i);
    return s;
  }

  private void axpy(float a, MemorySegment v, long off, float[] out, int oOff) {
    int i = 0;
    for (int end = FS.loopBound(valueHeadDim); i < end; i += FS.length()) {
      FloatVector.fromMemorySegment(FS, v, off + 4L * i, NATIVE)
          .fma(FloatVector.broadcast(FS, a), FloatVector.fromArray(FS, out, oOff + i))
          .intoArray(out, oOff + i);
    }
    for (; i < valueHeadDim; i++) out[oOff + i] += a * v.get(Layouts.FLOAT, off + 4L * i);
  }
}

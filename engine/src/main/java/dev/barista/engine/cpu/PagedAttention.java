package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Causal scaled dot-product attention of each query token over its own sequence's keys and values
 * in the paged cache (positions 0..its own, or the last slidingWindow of them), with grouped-query
 * heads sharing a KV head. Parallel over (token, KV head): the query heads of one group are done
 * together, so each cached key and value is read once per group, block by block.
 */
final class PagedAttention {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int L = FS.length();
  private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

  /**
   * Multiply-adds below which a step stays on the calling thread: a short decode step (about
   * 50 us) gains less from a second core than it risks waiting for one on a busy machine.
   */
  private static final long INLINE_WORK = 1 << 18;

  private final int heads;
  private final int kvHeads;
  private final int group;
  private final int headDim;
  private final int slidingWindow;
  private final float scale;

  PagedAttention(int heads, int kvHeads, int headDim, int slidingWindow) {
    this.heads = heads;
    this.kvHeads = kvHeads;
    this.group = heads / kvHeads;
    this.headDim = headDim;
    this.slidingWindow = slidingWindow;
    this.scale = (float) (1.0 / Math.sqrt(headDim));
  }

  /**
   * @param q queries [tokens][heads * headDim]
   * @param positions each token's position in its sequence
   * @param blockTables each token's sequence block table
   * @param out [tokens][heads * headDim]
   */
  void compute(PagedKvCache cache, int layer, float[] q, int tokens, int[] positions,
      int[][] blockTables, float[] out) {
    long work = 0;
    for (int t = 0; t < tokens; t++) work += (long) heads * (positions[t] + 1) * headDim;
    int items = tokens * kvHeads;
    int grain = work < INLINE_WORK ? items : Parallel.grainFor(items, 1);
    Parallel.forRange(items, grain, (from, to) -> {
      float[] scores = null;
      for (int item = from; item < to; item++) {
        int t = item / kvHeads;
        int pos = positions[t];
        int start = slidingWindow > 0 ? Math.max(0, pos - slidingWindow + 1) : 0;
        int n = pos - start + 1;
        int stride = (n + L - 1) / L * L; // padded with -inf, so exp works on whole vectors
        if (scores == null || scores.length < group * stride) scores = new float[group * stride];
        head(cache, layer, q, out, t, item % kvHeads, blockTables[t], start, n, stride, scores);
      }
    });
  }

  /** One token's query heads of KV head {@code kvh}: scores, softmax, weighted sum of values. */
  private void head(PagedKvCache cache, int layer, float[] q, float[] out, int t, int kvh,
      int[] table, int start, int n, int stride, float[] scores) {
    MemorySegment keys = cache.keys(layer);
    MemorySegment values = cache.values(layer);
    long headBytes = (long) kvh * headDim * Float.BYTES;
    long slotBytes = cache.slotBytes();
    int q0 = (t * heads + kvh * group) * headDim;
    for (int j = 0; j < n; ) {
      long off = cache.offset(table, start + j) + headBytes;
      int run = Math.min(n - j, cache.blockSize() - (start + j) % cache.blockSize());
      for (int i = 0; i < run; i++, j++, off += slotBytes) {
        for (int g = 0; g < group; g++) scores[g * stride + j] = dot(q, q0 + g * headDim, keys, off) * scale;
      }
    }
    for (int g = 0; g < group; g++) {
      int s0 = g * stride;
      Arrays.fill(scores, s0 + n, s0 + stride, Float.NEGATIVE_INFINITY);
      float inv = 1f / softmaxNumerators(scores, s0, stride);
      for (int j = 0; j < n; j++) scores[s0 + j] *= inv;
      Arrays.fill(out, q0 + g * headDim, q0 + (g + 1) * headDim, 0f);
    }
    for (int j = 0; j < n; ) {
      long off = cache.offset(table, start + j) + headBytes;
      int run = Math.min(n - j, cache.blockSize() - (start + j) % cache.blockSize());
      for (int i = 0; i < run; i++, j++, off += slotBytes) {
        for (int g = 0; g < group; g++) axpy(scores[g * stride + j], values, off, out, q0 + g * headDim);
      }
    }
  }

  /** Replaces scores[s0 .. s0+len) (len a multiple of the vector length) by exp(s - max); returns their sum. */
  private static float softmaxNumerators(float[] scores, int s0, int len) {
    FloatVector max = FloatVector.broadcast(FS, Float.NEGATIVE_INFINITY);
    for (int i = 0; i < len; i += L) max = max.max(FloatVector.fromArray(FS, scores, s0 + i));
    float m = max.reduceLanes(jdk.incubator.vector.VectorOperators.MAX); // exact in any order
    FloatVector sum = FloatVector.zero(FS);
    for (int i = 0; i < len; i += L) {
      FloatVector e = Lanes.exp(FloatVector.fromArray(FS, scores, s0 + i).sub(m));
      e.intoArray(scores, s0 + i);
      sum = sum.add(e);
    }
    return Lanes.sum(sum);
  }

  private float dot(float[] q, int qOff, MemorySegment k, long off) {
    FloatVector acc = FloatVector.zero(FS);
    int i = 0;
    for (int end = FS.loopBound(headDim); i < end; i += L) {
      acc = FloatVector.fromArray(FS, q, qOff + i)
          .fma(FloatVector.fromMemorySegment(FS, k, off + 4L * i, NATIVE), acc);
    }
    float s = Lanes.sum(acc);
    for (; i < headDim; i++) s += q[qOff + i] * k.get(Layouts.FLOAT, off + 4L * i);
    return s;
  }

  private void axpy(float a, MemorySegment v, long off, float[] out, int oOff) {
    int i = 0;
    FloatVector av = FloatVector.broadcast(FS, a);
    for (int end = FS.loopBound(headDim); i < end; i += L) {
      FloatVector.fromMemorySegment(FS, v, off + 4L * i, NATIVE)
          .fma(av, FloatVector.fromArray(FS, out, oOff + i))
          .intoArray(out, oOff + i);
    }
    for (; i < headDim; i++) out[oOff + i] += a * v.get(Layouts.FLOAT, off + 4L * i);
  }
}

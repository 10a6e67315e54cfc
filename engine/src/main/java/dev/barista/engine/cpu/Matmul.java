package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import dev.barista.engine.weights.DType;
import dev.barista.engine.weights.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[t][r] = sum_k x[t][k] * W[r][k] (+ bias[r]) for T tokens at once: matrix-matrix, so each
 * weight row is read from memory once per step and reused from cache for every token. Weights stay
 * in their stored dtype in memory; 16-bit ones are widened to f32 in registers (one token) or once
 * per row into a per-thread buffer (several tokens).
 *
 * <p>BF16 trick: an int lane holds two adjacent bf16 weights; {@code bits << 16} is the even one as
 * f32 and {@code bits & 0xFFFF0000} the odd one. Pairing them with the even and odd elements of x
 * (de-interleaved once per call) needs no shuffles.
 */
final class Matmul {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
  private static final int L = FS.length();
  private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
  private static final int ROWS_PER_CHUNK = 16;
  private static final int TOKEN_BLOCK = 64;

  /** One weight matrix to apply to the shared input. */
  record Job(Tensor weight, float[] bias, float[] out, boolean accumulate) {}

  private Matmul() {}

  static void multiply(float[] x, int tokens, Tensor w, float[] bias, float[] out, boolean accumulate) {
    multiplyAll(x, tokens, List.of(new Job(w, bias, out, accumulate)));
  }

  /** Applies every job's matrix to x (all of width in), splitting all their rows over the cores. */
  static void multiplyAll(float[] x, int tokens, List<Job> jobs) {
    int in = jobs.get(0).weight().cols();
    for (Job j : jobs) {
      if (j.weight().cols() != in || (j.weight().dtype() != DType.F32 && in % 2 != 0)) {
        // The 16-bit kernels pair adjacent weights; every supported model has even widths.
        throw new IllegalArgumentException("unsupported matrix width " + j.weight());
      }
    }
    Input input = new Input(x, tokens, in, jobs.stream().anyMatch(j -> j.weight().dtype() != DType.F32));
    int[] chunkStart = new int[jobs.size() + 1];
    for (int i = 0; i < jobs.size(); i++) {
      chunkStart[i + 1] = chunkStart[i] + (jobs.get(i).weight().rows() + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
    }
    Parallel.forRange(chunkStart[jobs.size()], 1, (from, to) -> {
      for (int c = from; c < to; c++) {
        int j = 0;
        while (chunkStart[j + 1] <= c) j++;
        Job job = jobs.get(j);
        int r0 = (c - chunkStart[j]) * ROWS_PER_CHUNK;
        int r1 = Math.min(job.weight().rows(), r0 + ROWS_PER_CHUNK);
        rows(input, job, r0, r1);
      }
    });
  }

  /** The input rows, plus (for 16-bit weights) each row in the split layout of {@link WidenedRows}. */
  private record Input(float[] x, int tokens, int in, float[] split) {
    Input(float[] x, int tokens, int in, boolean split) {
      this(x, tokens, in, split ? new float[tokens * in] : null);
      if (split) {
        int half = in / 2;
        for (int t = 0; t < tokens; t++) {
          for (int j = 0; j < half; j++) {
            this.split[t * in + j] = x[t * in + 2 * j];
            this.split[t * in + half + j] = x[t * in + 2 * j + 1];
          }
        }
      }
    }
  }

  /** Per-thread buffers of the widened path. */
  private static final class Scratch {
    float[] rows = new float[0];
    final float[] sums = new float[32 * L];
    final float[] tile = new float[16];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  /**
   * Rows r0..r1 for every token. One token of bf16 weights streams each row straight from memory,
   * strictly sequentially (the step is bound by DRAM bandwidth). Otherwise the rows are widened to
   * f32 once and every token reuses them from cache, in 4-row x 4-token register tiles (the step is
   * bound by multiply-adds).
   */
  private static void rows(Input in, Job job, int r0, int r1) {
    Tensor w = job.weight();
    if (w.dtype() == DType.F32) {
      for (int r = r0; r < r1; r++) {
        for (int t = 0; t < in.tokens(); t++) store(job, t, r, f32Dot(w.data(), r, in, t));
      }
    } else if (w.dtype() == DType.BF16 && in.tokens() == 1) {
      for (int r = r0; r < r1; r++) store(job, 0, r, bf16Dot(w.data(), r, in));
    } else {
      widenedRows(in, job, r0, r1);
    }
  }

  private static void widenedRows(Input in, Job job, int r0, int r1) {
    Scratch s = SCRATCH.get();
    int n = in.in();
    int count = r1 - r0;
    if (s.rows.length < count * n) s.rows = new float[count * n];
    float[] rows = s.rows;
    float[] x = in.split();
    Tensor w = job.weight();
    WidenedRows.widen(w.data(), w.dtype(), n, r0, count, rows);
    // Token blocks keep the inputs a tile sweeps within L2 however large a prefill is.
    for (int t0 = 0; t0 < in.tokens(); t0 += TOKEN_BLOCK) {
      int t1 = Math.min(in.tokens(), t0 + TOKEN_BLOCK);
      for (int g = 0; g < count; g += 4) {
        int groupRows = Math.min(4, count - g);
        int t = t0;
        if (groupRows == 4) {
          for (; t + 4 <= t1; t += 4) {
            SplitDot.tile4x4(rows, g * n, x, t * n, n, s.sums, s.tile);
            for (int i = 0; i < 16; i++) store(job, t + i % 4, r0 + g + i / 4, s.tile[i]);
          }
        }
        for (; t < t1; t++) {
          for (int i = 0; i < groupRows; i++) store(job, t, r0 + g + i, SplitDot.dot(rows, (g + i) * n, x, t * n, n));
        }
      }
    }
  }

  private static void store(Job job, int t, int r, float v) {
    int outDim = job.weight().rows();
    int i = t * outDim + r;
    if (job.bias() != null) v += job.bias()[r];
    if (job.accumulate()) job.out()[i] += v;
    else job.out()[i] = v;
  }

  /**
   * One bf16 row streamed from memory against one token: an int lane holds two adjacent weights,
   * matched with the split input's even and odd halves. The same sums in the same order as {@link
   * SplitDot#dot}.
   */
  private static float bf16Dot(MemorySegment w, int r, Input in) {
    int n = in.in();
    int half = n / 2;
    long base = (long) r * n * 2;
    float[] x = in.split();
    FloatVector a0 = FloatVector.zero(FS);
    FloatVector a1 = FloatVector.zero(FS);
    int j = 0;
    for (int end = FS.loopBound(half); j < end; j += L) {
      IntVector bits = IntVector.fromMemorySegment(IS, w, base + 4L * j, LE);
      a0 = WidenedRows.even(bits).fma(FloatVector.fromArray(FS, x, j), a0);
      a1 = WidenedRows.odd(bits).fma(FloatVector.fromArray(FS, x, half + j), a1);
    }
    float s = 0;
    for (; j < half; j++) {
      int bits = w.get(Layouts.INT, base + 4L * j);
      s += Float.intBitsToFloat(bits << 16) * x[j] + Float.intBitsToFloat(bits & 0xFFFF0000) * x[half + j];
    }
    return Lanes.sum(a0.add(a1)) + s;
  }

  // ---- F32 ----

  private static float f32Dot(MemorySegment w, int r, Input in, int t) {
    int n = in.in();
    long base = (long) r * n * 4;
    int xo = t * n;
    float[] x = in.x();
    FloatVector a = FloatVector.zero(FS);
    int k = 0;
    for (int end = FS.loopBound(n); k < end; k += L) {
      a = FloatVector.fromMemorySegment(FS, w, base + 4L * k, LE).fma(FloatVector.fromArray(FS, x, xo + k), a);
    }
    float s = Lanes.sum(a);
    for (; k < n; k++) s += w.get(Layouts.FLOAT, base + 4L * k) * x[xo + k];
    return s;
  }

}

package dev.barista.engine.cpu;

import dev.barista.engine.weights.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * out[t][r] = sum_k x[t][k] * W[r][k] (+ bias[r]) for T tokens at once: matrix-matrix, so each
 * weight row is read from memory once per step and reused from cache for every token. Weights stay
 * in their stored dtype and are widened to f32 in registers.
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

  /** One weight matrix to apply to the shared input. */
  record Job(Tensor weight, float[] bias, float[] out, boolean accumulate) {}

  private Matmul() {}

  static void multiply(float[] x, int tokens, Tensor w, float[] bias, float[] out, boolean accumulate) {
    multiplyAll(x, tokens, List.of(new Job(w, bias, out, accumulate)));
  }

  /** Applies every job's matrix to x (all of width in), splitting all their rows over the cores. */
  static void multiplyAll(float[] x, int tokens, List<Job> jobs) {
    int in = jobs.get(0).weight().cols();
    Input input = new Input(x, tokens, in, jobs.stream().anyMatch(j -> j.weight().dtype() != dev.barista.engine.weights.DType.F32));
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

  /** The input rows, plus their even/odd de-interleaved copies for 16-bit weights. */
  private record Input(float[] x, int tokens, int in, float[] even, float[] odd) {
    Input(float[] x, int tokens, int in, boolean split) {
      this(x, tokens, in, split ? new float[tokens * (in / 2)] : null,
          split ? new float[tokens * (in / 2)] : null);
      if (split) {
        int half = in / 2;
        for (int t = 0; t < tokens; t++) {
          for (int j = 0; j < half; j++) {
            even[t * half + j] = x[t * in + 2 * j];
            odd[t * half + j] = x[t * in + 2 * j + 1];
          }
        }
      }
    }
  }

  private static void rows(Input in, Job job, int r0, int r1) {
    Tensor w = job.weight();
    int outDim = w.rows();
    for (int r = r0; r < r1; r++) {
      float b = job.bias() == null ? 0f : job.bias()[r];
      int t = 0;
      for (; t + 4 <= in.tokens(); t += 4) {
        float[] s = switch (w.dtype()) {
          case BF16 -> bf16Dot4(w.data(), r, in, t);
          case F16 -> f16Dot4(w.data(), r, in, t);
          case F32 -> f32Dot4(w.data(), r, in, t);
        };
        for (int i = 0; i < 4; i++) store(job, (t + i) * outDim + r, s[i] + b);
      }
      for (; t < in.tokens(); t++) {
        float s = switch (w.dtype()) {
          case BF16 -> bf16Dot(w.data(), r, in, t);
          case F16 -> f16Dot(w.data(), r, in, t);
          case F32 -> f32Dot(w.data(), r, in, t);
        };
        store(job, t * outDim + r, s + b);
      }
    }
  }

  private static void store(Job job, int i, float v) {
    if (job.accumulate()) job.out()[i] += v;
    else job.out()[i] = v;
  }

  // ---- BF16: two weights per int lane ----

  private static float bf16Dot(MemorySegment w, int r, Input in, int t) {
    int half = in.in() / 2;
    long base = (long) r * in.in() * 2;
    int xo = t * half;
    float[] ev = in.even();
    float[] od = in.odd();
    FloatVector a0 = FloatVector.zero(FS);
    FloatVector a1 = FloatVector.zero(FS);
    int j = 0;
    for (int end = FS.loopBound(half); j < end; j += L) {
      IntVector bits = IntVector.fromMemorySegment(IS, w, base + 4L * j, LE);
      FloatVector we = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
      FloatVector wo = bits.and(0xFFFF0000).reinterpretAsFloats();
      a0 = we.fma(FloatVector.fromArray(FS, ev, xo + j), a0);
      a1 = wo.fma(FloatVector.fromArray(FS, od, xo + j), a1);
    }
    float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
    for (; j < half; j++) {
      int bits = w.get(Layouts.INT, base + 4L * j);
      s += Float.intBitsToFloat(bits << 16) * ev[xo + j] + Float.intBitsToFloat(bits & 0xFFFF0000) * od[xo + j];
    }
    return s;
  }

  private static float[] bf16Dot4(MemorySegment w, int r, Input in, int t) {
    int half = in.in() / 2;
    long base = (long) r * in.in() * 2;
    float[] ev = in.even();
    float[] od = in.odd();
    int x0 = t * half, x1 = x0 + half, x2 = x1 + half, x3 = x2 + half;
    FloatVector a0 = FloatVector.zero(FS), a1 = FloatVector.zero(FS);
    FloatVector a2 = FloatVector.zero(FS), a3 = FloatVector.zero(FS);
    int j = 0;
    for (int end = FS.loopBound(half); j < end; j += L) {
      IntVector bits = IntVector.fromMemorySegment(IS, w, base + 4L * j, LE);
      FloatVector we = bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
      FloatVector wo = bits.and(0xFFFF0000).reinterpretAsFloats();
      a0 = wo.fma(FloatVector.fromArray(FS, od, x0 + j), we.fma(FloatVector.fromArray(FS, ev, x0 + j), a0));
      a1 = wo.fma(FloatVector.fromArray(FS, od, x1 + j), we.fma(FloatVector.fromArray(FS, ev, x1 + j), a1));
      a2 = wo.fma(FloatVector.fromArray(FS, od, x2 + j), we.fma(FloatVector.fromArray(FS, ev, x2 + j), a2));
      a3 = wo.fma(FloatVector.fromArray(FS, od, x3 + j), we.fma(FloatVector.fromArray(FS, ev, x3 + j), a3));
    }
    float[] s = {a0.reduceLanes(VectorOperators.ADD), a1.reduceLanes(VectorOperators.ADD),
        a2.reduceLanes(VectorOperators.ADD), a3.reduceLanes(VectorOperators.ADD)};
    for (; j < half; j++) {
      int bits = w.get(Layouts.INT, base + 4L * j);
      float we = Float.intBitsToFloat(bits << 16);
      float wo = Float.intBitsToFloat(bits & 0xFFFF0000);
      s[0] += we * ev[x0 + j] + wo * od[x0 + j];
      s[1] += we * ev[x1 + j] + wo * od[x1 + j];
      s[2] += we * ev[x2 + j] + wo * od[x2 + j];
      s[3] += we * ev[x3 + j] + wo * od[x3 + j];
    }
    return s;
  }

  // ---- F16: the same pairing, widened with the hardware half-float conversion ----

  private static float f16Dot(MemorySegment w, int r, Input in, int t) {
    int half = in.in() / 2;
    long base = (long) r * in.in() * 2;
    int xo = t * half;
    float s = 0;
    for (int j = 0; j < half; j++) {
      int bits = w.get(Layouts.INT, base + 4L * j);
      s += Float.float16ToFloat((short) bits) * in.even()[xo + j]
          + Float.float16ToFloat((short) (bits >>> 16)) * in.odd()[xo + j];
    }
    return s;
  }

  private static float[] f16Dot4(MemorySegment w, int r, Input in, int t) {
    return new float[] {f16Dot(w, r, in, t), f16Dot(w, r, in, t + 1), f16Dot(w, r, in, t + 2),
        f16Dot(w, r, in, t + 3)};
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
    float s = a.reduceLanes(VectorOperators.ADD);
    for (; k < n; k++) s += w.get(Layouts.FLOAT, base + 4L * k) * x[xo + k];
    return s;
  }

  private static float[] f32Dot4(MemorySegment w, int r, Input in, int t) {
    return new float[] {f32Dot(w, r, in, t), f32Dot(w, r, in, t + 1), f32Dot(w, r, in, t + 2),
        f32Dot(w, r, in, t + 3)};
  }
}

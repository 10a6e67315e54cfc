package dev.barista.engine.cpu;

import dev.barista.engine.simd.Lanes;
import dev.barista.engine.weights.DType;
import dev.barista.engine.weights.Tensor;
import java.lang.foreign.Arena;
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

  /**
   * Rows r0..r1 for every token. With four or more tokens, 4x4 register tiles (compute-bound);
   * otherwise one row at a time, which streams the weights strictly sequentially: interleaving
   * several rows splits the stream and halves the DRAM bandwidth one core gets.
   */
  private static void rows(Input in, Job job, int r0, int r1) {
    Tensor w = job.weight();
    int tiled = w.dtype() == DType.BF16 ? in.tokens() / 4 * 4 : 0;
    int r = r0;
    if (tiled > 0) {
      long groupBytes = 4L * in.in() * 2;
      MemorySegment packed = packBuffer(groupBytes);
      for (; r + 4 <= r1; r += 4) {
        // One sequential copy of the four rows into L1, then the tile reads them from there.
        MemorySegment.copy(w.data(), r * groupBytes / 4, packed, 0, groupBytes);
        for (int t = 0; t < tiled; t += 4) bf16Rows4Tokens4(packed, r, in, t, job);
        for (int t = tiled; t < in.tokens(); t++) {
          for (int i = 0; i < 4; i++) store(job, t, r + i, bf16Dot(w.data(), r + i, in, t));
        }
      }
    }
    for (; r < r1; r++) {
      for (int t = 0; t < in.tokens(); t++) {
        float s = switch (w.dtype()) {
          case BF16 -> bf16Dot(w.data(), r, in, t);
          case F16 -> f16Dot(w.data(), r, in, t);
          case F32 -> f32Dot(w.data(), r, in, t);
        };
        store(job, t, r, s);
      }
    }
  }

  private static final ThreadLocal<MemorySegment[]> PACK = ThreadLocal.withInitial(() -> new MemorySegment[1]);

  /** This thread's buffer for a packed row group, grown as needed. */
  private static MemorySegment packBuffer(long bytes) {
    MemorySegment[] holder = PACK.get();
    if (holder[0] == null || holder[0].byteSize() < bytes) {
      holder[0] = Arena.ofAuto().allocate(Math.max(bytes, 1 << 14), 64);
    }
    return holder[0];
  }

  private static void store(Job job, int t, int r, float v) {
    int outDim = job.weight().rows();
    int i = t * outDim + r;
    if (job.bias() != null) v += job.bias()[r];
    if (job.accumulate()) job.out()[i] += v;
    else job.out()[i] = v;
  }

  // ---- BF16: two weights per int lane ----

  private static FloatVector even(IntVector bits) {
    return bits.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  private static FloatVector odd(IntVector bits) {
    return bits.and(0xFFFF0000).reinterpretAsFloats();
  }

  private static float tailDot(MemorySegment w, long base, float[] ev, float[] od, int xo, int from, int half) {
    float s = 0;
    for (int j = from; j < half; j++) {
      int bits = w.get(Layouts.INT, base + 4L * j);
      s += Float.intBitsToFloat(bits << 16) * ev[xo + j] + Float.intBitsToFloat(bits & 0xFFFF0000) * od[xo + j];
    }
    return s;
  }

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
      a0 = even(bits).fma(FloatVector.fromArray(FS, ev, xo + j), a0);
      a1 = odd(bits).fma(FloatVector.fromArray(FS, od, xo + j), a1);
    }
    return Lanes.sum(a0.add(a1)) + tailDot(w, base, ev, od, xo, j, half);
  }

  /**
   * A 4-row by 4-token register tile over four rows packed at the start of {@code w}: each widened
   * weight vector feeds four tokens and each input vector four rows, so loads per FMA stay low when
   * the batch is compute-bound.
   */
  private static void bf16Rows4Tokens4(MemorySegment w, int r, Input in, int t, Job job) {
    int half = in.in() / 2;
    long rowBytes = (long) in.in() * 2;
    long b0 = 0, b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
    float[] ev = in.even();
    float[] od = in.odd();
    int x0 = t * half, x1 = x0 + half, x2 = x1 + half, x3 = x2 + half;
    FloatVector a00 = FloatVector.zero(FS), a01 = a00, a02 = a00, a03 = a00;
    FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
    FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
    FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
    int j = 0;
    for (int end = FS.loopBound(half); j < end; j += L) {
      IntVector w0 = IntVector.fromMemorySegment(IS, w, b0 + 4L * j, LE);
      IntVector w1 = IntVector.fromMemorySegment(IS, w, b1 + 4L * j, LE);
      IntVector w2 = IntVector.fromMemorySegment(IS, w, b2 + 4L * j, LE);
      IntVector w3 = IntVector.fromMemorySegment(IS, w, b3 + 4L * j, LE);
      FloatVector e0 = even(w0), e1 = even(w1), e2 = even(w2), e3 = even(w3);
      FloatVector x = FloatVector.fromArray(FS, ev, x0 + j);
      a00 = e0.fma(x, a00); a10 = e1.fma(x, a10); a20 = e2.fma(x, a20); a30 = e3.fma(x, a30);
      x = FloatVector.fromArray(FS, ev, x1 + j);
      a01 = e0.fma(x, a01); a11 = e1.fma(x, a11); a21 = e2.fma(x, a21); a31 = e3.fma(x, a31);
      x = FloatVector.fromArray(FS, ev, x2 + j);
      a02 = e0.fma(x, a02); a12 = e1.fma(x, a12); a22 = e2.fma(x, a22); a32 = e3.fma(x, a32);
      x = FloatVector.fromArray(FS, ev, x3 + j);
      a03 = e0.fma(x, a03); a13 = e1.fma(x, a13); a23 = e2.fma(x, a23); a33 = e3.fma(x, a33);
      FloatVector o0 = odd(w0), o1 = odd(w1), o2 = odd(w2), o3 = odd(w3);
      x = FloatVector.fromArray(FS, od, x0 + j);
      a00 = o0.fma(x, a00); a10 = o1.fma(x, a10); a20 = o2.fma(x, a20); a30 = o3.fma(x, a30);
      x = FloatVector.fromArray(FS, od, x1 + j);
      a01 = o0.fma(x, a01); a11 = o1.fma(x, a11); a21 = o2.fma(x, a21); a31 = o3.fma(x, a31);
      x = FloatVector.fromArray(FS, od, x2 + j);
      a02 = o0.fma(x, a02); a12 = o1.fma(x, a12); a22 = o2.fma(x, a22); a32 = o3.fma(x, a32);
      x = FloatVector.fromArray(FS, od, x3 + j);
      a03 = o0.fma(x, a03); a13 = o1.fma(x, a13); a23 = o2.fma(x, a23); a33 = o3.fma(x, a33);
    }
    // Reduce each accumulator right here: vectors escaping into an array would be boxed.
    store4(job, t, r, j, half, w, b0, ev, od, x0, Lanes.sum(a00),
        Lanes.sum(a01), Lanes.sum(a02), Lanes.sum(a03));
    store4(job, t, r + 1, j, half, w, b1, ev, od, x0, Lanes.sum(a10),
        Lanes.sum(a11), Lanes.sum(a12), Lanes.sum(a13));
    store4(job, t, r + 2, j, half, w, b2, ev, od, x0, Lanes.sum(a20),
        Lanes.sum(a21), Lanes.sum(a22), Lanes.sum(a23));
    store4(job, t, r + 3, j, half, w, b3, ev, od, x0, Lanes.sum(a30),
        Lanes.sum(a31), Lanes.sum(a32), Lanes.sum(a33));
  }

  /** Stores one row's results for four consecutive tokens, adding the scalar tail of each dot. */
  private static void store4(Job job, int t, int r, int j, int half, MemorySegment w, long base,
      float[] ev, float[] od, int x0, float s0, float s1, float s2, float s3) {
    store(job, t, r, s0 + tailDot(w, base, ev, od, x0, j, half));
    store(job, t + 1, r, s1 + tailDot(w, base, ev, od, x0 + half, j, half));
    store(job, t + 2, r, s2 + tailDot(w, base, ev, od, x0 + 2 * half, j, half));
    store(job, t + 3, r, s3 + tailDot(w, base, ev, od, x0 + 3 * half, j, half));
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

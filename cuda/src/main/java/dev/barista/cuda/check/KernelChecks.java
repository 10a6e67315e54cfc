package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.randomBf16;
import static dev.barista.cuda.check.Reference.relError;
import static dev.barista.cuda.check.Reference.toDoubles;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.Transfers;
import dev.barista.cuda.kernels.AttentionSplit;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.engine.config.Activation;
import dev.barista.cuda.kernels.RotaryTable;
import dev.barista.engine.model.RopeFrequencies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Each kernel against a double-precision CPU reference on fresh random inputs, outputs poisoned
 * with NaN before the launch so that an unwritten element fails the check.
 */
public final class KernelChecks {
  static final double BF16_TOL = 1e-2;
  static final double F32_TOL = 1e-4;

  private final CudaDriver d;
  private final Kernels k;
  private final CuBlas blas;
  private final long stream;
  private final Random rnd;
  private final CheckBuffers buf;

  public KernelChecks(CudaDriver d, Kernels k, CuBlas blas, long stream, long seed) {
    this.d = d;
    this.k = k;
    this.blas = blas;
    this.stream = stream;
    this.buf = new CheckBuffers(d, stream);
    this.rnd = new Random(seed);
  }

  public List<CheckResult> runAll() {
    List<CheckResult> r = new ArrayList<>();
    try {
      r.add(safe(() -> rmsNorm(5, 1024, true)));
      r.add(safe(() -> rmsNorm(3, 64, false)));
      r.add(safe(() -> rmsNorm(2, 4096, true)));
      r.add(safe(() -> rmsNorm(3, 100, true))); // not a multiple of 8: one element a thread
      r.add(safe(() -> norm(5, 768, true, true)));
      r.add(safe(() -> norm(3, 100, false, true)));
      r.add(safe(() -> qkvPrepare(4, 16, 8, 128, true, false, 1e6f)));
      r.add(safe(() -> qkvPrepare(3, 4, 2, 32, false, true, 1e4f)));
      r.add(safe(() -> qkvPrepare(3, 8, 8, 64, false, true, 1e4f, Integer.MAX_VALUE, 16)));
      r.add(safe(() -> qkvPrepare(2, 4, 4, 80, false, true, 1e4f, Integer.MAX_VALUE, 32)));
      r.add(safe(() -> qkvPrepare(3, 4, 4, 64, false, false, 1e4f, Integer.MAX_VALUE, 16, true))); // GPT-J
      r.add(safe(() -> qkvPrepare(2, 8, 2, 32, false, true, 1e4f, Integer.MAX_VALUE, 32, true)));
      r.add(safe(() -> qkvPrepare(3, 8, 2, 64, true, false, 1e4f, Integer.MAX_VALUE, 64, false, true))); // HunYuan
      r.add(safe(() -> qkvPrepare(2, 8, 2, 8, false, false, 5e5f)));
      r.add(safe(() -> qkvPrepare(16, 4, 2, 64, false, false, 1e4f, 2500)));
      r.add(safe(() -> attention(128, 32, 8, 16, -1, 0)));
      r.add(safe(() -> attention(128, 16, 8, 16, 1, 0)));
      r.add(safe(() -> attention(16, 4, 2, 16, -1, 0)));
      r.add(safe(() -> attention(8, 8, 2, 16, 3, 0)));
      r.add(safe(() -> attention(32, 4, 2, 8, 1, 0)));
      r.add(safe(() -> attention(64, 8, 2, 16, 5, 100)));
      r.add(safe(() -> attention(128, 8, 8, 16, -1, 7)));
      r.add(safe(() -> attention(64, 6, 2, 16, -1, 0)));
      r.add(safe(() -> attention(128, 16, 2, 16, 2, 0)));
      r.add(safe(() -> attention(128, 16, 8, 16, 2, 0, 1.0f)));
      r.add(safe(() -> attention(64, 8, 2, 16, 5, 100, 0.5f)));
      r.add(safe(() -> attention(256, 8, 4, 16, -1, 0, 1.0f)));
      // GPT-OSS's attention sinks: one split and several (the combine kernel adds the sink)
      r.add(safe(() -> attention(64, 8, 2, 16, 1, 0, 0, true)));
      r.add(safe(() -> attention(64, 16, 2, 16, 5, 100, 0, true)));
      r.add(safe(() -> attention(128, 16, 8, 16, -1, 0, 0, true)));
      r.add(safe(() -> attention(64, 16, 16, 16, 1, 0, 0, false, true))); // ALiBi
      r.add(safe(() -> attention(64, 8, 2, 16, 3, -8))); // Llama 4's chunks of 8 (window -8), several splits
      r.add(safe(() -> attention(128, 16, 8, 16, 1, -64)));
      r.add(safe(() -> attention(64, 8, 8, 16, 5, 100, 0, false, true)));
      r.add(safe(() -> sampleRows(6, 151936)));
      try {
        r.addAll(new SamplingChecks(d, k, stream, rnd).run());
      } catch (RuntimeException e) {
        CheckResult fail = new CheckResult("sample_rows_full exception", Double.POSITIVE_INFINITY, 0, e.toString());
        System.out.println(fail.row());
        r.add(fail);
      }
      elementwiseChecks(r);
      r.addAll(new ExpertChecks(d, k.f32(), buf, stream, rnd).run());
      r.add(safe(() -> argmax(5, 151936)));
      r.add(safe(() -> linear(3, 1024, 3000, true)));
      r.add(safe(() -> linear(17, 64, 1100, false)));
      r.add(safe(() -> linearF32(5, 1024, 3000)));
      r.add(safe(() -> linearF32(64, 4096, 512)));
      r.add(safe(() -> fillUniform(1_000_003)));
    } finally {
      buf.freeAll();
    }
    return r;
  }

  /** Runs one check; an exception is a failed check that names it, and the rest still run. */
  private static CheckResult safe(Supplier<CheckResult> check) {
    return CheckResult.printed("exception", check);
  }

  // The element type of the kernels under check (k.f32()): inputs are bf16 values either way (so
  // the double reference is the same), uploaded as bf16 or widened to f32; outputs are read in
  // that type and held to the tolerance of that type.

  private long upT(short[] bf16) {
    if (!k.f32()) return buf.up(bf16);
    float[] f = new float[bf16.length];
    for (int i = 0; i < f.length; i++) f[i] = Bf16.toFloat(bf16[i]);
    return buf.up(f);
  }

  private double[] readT(long p, int n) {
    return k.f32() ? buf.readF32(p, n) : buf.readBf16(p, n);
  }

  private long es() {
    return k.elementBytes();
  }

  private double tol() {
    return k.f32() ? F32_TOL : BF16_TOL;
  }

  private String sfx() {
    return k.f32() ? " f32" : "";
  }

  /** The element-typed kernels again, for the f32 math mode's kernels (k built with f32 = true). */
  public List<CheckResult> runF32() {
    List<CheckResult> r = new ArrayList<>();
    try {
      r.add(safe(() -> rmsNorm(5, 1024, true)));
      r.add(safe(() -> rmsNorm(3, 64, false)));
      r.add(safe(() -> rmsNorm(3, 100, true)));
      r.add(safe(() -> norm(5, 768, true, true)));
      r.add(safe(() -> norm(3, 100, false, true)));
      r.add(safe(() -> qkvPrepare(4, 16, 8, 128, true, false, 1e6f)));
      r.add(safe(() -> qkvPrepare(3, 4, 2, 32, false, true, 1e4f)));
      r.add(safe(() -> qkvPrepare(3, 8, 8, 64, false, true, 1e4f, Integer.MAX_VALUE, 16)));
      r.add(safe(() -> qkvPrepare(2, 4, 4, 80, false, true, 1e4f, Integer.MAX_VALUE, 32)));
      r.add(safe(() -> qkvPrepare(3, 4, 4, 64, false, false, 1e4f, Integer.MAX_VALUE, 16, true))); // GPT-J
      r.add(safe(() -> qkvPrepare(2, 8, 2, 32, false, true, 1e4f, Integer.MAX_VALUE, 32, true)));
      r.add(safe(() -> qkvPrepare(3, 8, 2, 64, true, false, 1e4f, Integer.MAX_VALUE, 64, false, true))); // HunYuan
      r.add(safe(() -> attention(128, 32, 8, 16, -1, 0)));
      r.add(safe(() -> attention(128, 16, 8, 16, 1, 0)));
      r.add(safe(() -> attention(64, 8, 2, 16, 5, 100)));
      r.add(safe(() -> attention(32, 4, 2, 8, 1, 0)));
      r.add(safe(() -> attention(128, 16, 2, 16, 2, 0)));
      r.add(safe(() -> attention(128, 16, 8, 16, 2, 0, 1.0f)));
      r.add(safe(() -> attention(64, 8, 2, 16, 5, 100, 0.5f)));
      r.add(safe(() -> attention(256, 8, 4, 16, -1, 0, 1.0f)));
      // GPT-OSS's attention sinks: one split and several (the combine kernel adds the sink)
      r.add(safe(() -> attention(64, 8, 2, 16, 1, 0, 0, true)));
      r.add(safe(() -> attention(64, 16, 2, 16, 5, 100, 0, true)));
      r.add(safe(() -> attention(128, 16, 8, 16, -1, 0, 0, true)));
      r.add(safe(() -> attention(64, 16, 16, 16, 1, 0, 0, false, true))); // ALiBi
      r.add(safe(() -> attention(64, 8, 2, 16, 3, -8))); // Llama 4's chunks of 8 (window -8), several splits
      r.add(safe(() -> attention(128, 16, 8, 16, 1, -64)));
      r.add(safe(() -> attention(64, 8, 8, 16, 5, 100, 0, false, true)));
      r.add(safe(() -> attention(256, 8, 8, 16, -1, 0)));
      elementwiseChecks(r);
      r.addAll(new ExpertChecks(d, k.f32(), buf, stream, rnd).run());
    } finally {
      buf.freeAll();
    }
    return r;
  }

  /** OLMo 2's q/k norm: the first {@code width} of each {@code stride}-wide row, in place; the rest untouched. */
  CheckResult rmsNormStrided(int rows, int stride, int width) {
    short[] x = randomBf16(rnd, rows * stride, 2), w = randomBf16(rnd, width, 1.5);
    long px = upT(x);
    k.rmsNormStrided(px, rows, stride, width, upT(w), 1e-6f, stream);
    double[] got = readT(px, rows * stride), ref = new double[got.length];
    for (int r = 0; r < rows; r++) {
      double ss = 0;
      for (int i = 0; i < width; i++) ss += Math.pow(Bf16.toFloat(x[r * stride + i]), 2);
      double inv = 1 / Math.sqrt(ss / width + 1e-6);
      for (int i = 0; i < stride; i++) {
        double v = Bf16.toFloat(x[r * stride + i]);
        ref[r * stride + i] = i < width ? Bf16.toFloat(w[i]) * v * inv : v;
      }
    }
    return new CheckResult("rmsnorm_strided " + rows + "x" + width + " of " + stride + sfx(), relError(got, ref), tol(), "");
  }

  /** add_rmsnorm without a weight: out is the residual sum (OLMo 2's missing input norms). */
  CheckResult addWithoutNorm(int rows, int hidden) {
    short[] x = randomBf16(rnd, rows * hidden, 2);
    float[] res = new float[rows * hidden];
    for (int i = 0; i < res.length; i++) res[i] = (float) rnd.nextGaussian();
    long po = buf.poisoned(es() * rows * hidden);
    k.addNorm(upT(x), buf.up(res), po, 0, 0, 0, rows, hidden, 1e-6f, true, true, stream);
    double[] got = readT(po, rows * hidden), ref = new double[got.length];
    for (int i = 0; i < ref.length; i++) ref[i] = Bf16.toFloat(x[i]) + res[i];
    return new CheckResult("add_rmsnorm without weight " + rows + "x" + hidden + sfx(), relError(got, ref), tol(), "");
  }

  /** The element-wise kernels: every activation gated and not, soft-capping, both embeddings. */
  private void elementwiseChecks(List<CheckResult> r) {
    r.add(safe(() -> rmsNormStrided(3, 192, 128)));
    r.add(safe(() -> rmsNormStrided(2, 2560, 2048)));
    r.add(safe(() -> addWithoutNorm(3, 1024)));
    for (Activation act : Kernels.ACTIVATIONS) {
      r.add(safe(() -> actMul(6, 3072, act)));
      r.add(safe(() -> actMul(2, 172, act)));
      r.add(safe(() -> actMul(3, 3072, act, false)));
      r.add(safe(() -> actMul(2, 172, act, false)));
    }
    r.add(safe(() -> softcap(3, 1000, 3f)));
    r.add(safe(() -> clamp(3 * 192, 0.5f)));
    r.add(safe(() -> latentAssemble(3, 4, 16, 8, 16))); // the tiny DeepSeek models' heads
    r.add(safe(() -> latentAssemble(2, 16, 128, 64, 128))); // DeepSeek-V3's and Moonlight's
    r.add(safe(() -> embedding(7, 1024, 4000)));
    r.add(safe(() -> embeddingWithPositions(7, 768, 4000, 2)));
  }

  CheckResult rmsNorm(int rows, int hidden, boolean add) {
    return norm(rows, hidden, add, false);
  }

  /** add_rmsnorm, or with a bias its LayerNorm (OPT, GPT-2): rows whose mean is far from 0. */
  CheckResult norm(int rows, int hidden, boolean add, boolean layerNorm) {
    short[] x = randomBf16(rnd, rows * hidden, 2);
    float[] res = new float[rows * hidden];
    for (int i = 0; i < res.length; i++) res[i] = (float) (rnd.nextGaussian() * 2 + (layerNorm ? 7 : 0));
    short[] w = randomBf16(rnd, hidden, 1.5), b = randomBf16(rnd, hidden, 1);
    float eps = 1e-6f;
    long px = upT(x), pr = buf.up(res), pw = upT(w), po = buf.poisoned(es() * rows * hidden);
    k.addNorm(px, pr, po, pw, layerNorm ? upT(b) : 0, 0, rows, hidden, eps, add, true, stream);
    double[] out = readT(po, rows * hidden);
    double[] resOut = toDoubles(Transfers.readFloats(d, pr, rows * hidden));
    double[] ref = new double[rows * hidden], refRes = new double[rows * hidden];
    for (int r = 0; r < rows; r++) {
      double ss = 0;
      for (int i = 0; i < hidden; i++) {
        int j = r * hidden + i;
        double v = Bf16.toFloat(x[j]);
        if (add) v += res[j];
        refRes[j] = v;
        ss += v * v;
      }
      double mean = 0;
      if (layerNorm) {
        for (int i = 0; i < hidden; i++) mean += refRes[r * hidden + i] / hidden;
        ss = 0;
        for (int i = 0; i < hidden; i++) ss += (refRes[r * hidden + i] - mean) * (refRes[r * hidden + i] - mean);
      }
      double inv = 1 / Math.sqrt(ss / hidden + eps);
      for (int i = 0; i < hidden; i++) {
        int j = r * hidden + i;
        ref[j] = Bf16.toFloat(w[i]) * (refRes[j] - mean) * inv + (layerNorm ? Bf16.toFloat(b[i]) : 0);
      }
    }
    double e = Math.max(relError(out, ref), relError(resOut, refRes) * 100); // f32 residual: 1e-4
    return new CheckResult((layerNorm ? "add_layernorm " : "add_rmsnorm ") + rows + "x" + hidden + (add ? " +residual" : "")
        + sfx(), e, tol(), "");
  }

  CheckResult qkvPrepare(int tokens, int nq, int nkv, int dim, boolean norms, boolean bias, float theta) {
    return qkvPrepare(tokens, nq, nkv, dim, norms, bias, theta, Integer.MAX_VALUE);
  }

  /** As above; positions from {@code longFrom} on rotate by a second (longrope) table. */
  CheckResult qkvPrepare(int tokens, int nq, int nkv, int dim, boolean norms, boolean bias, float theta, int longFrom) {
    return qkvPrepare(tokens, nq, nkv, dim, norms, bias, theta, longFrom, dim);
  }

  /** As above, rotating only the first {@code rotaryDim} dimensions of each head (GPT-NeoX, Phi). */
  CheckResult qkvPrepare(int tokens, int nq, int nkv, int dim, boolean norms, boolean bias, float theta, int longFrom,
      int rotaryDim) {
    return qkvPrepare(tokens, nq, nkv, dim, norms, bias, theta, longFrom, rotaryDim, false);
  }

  /** As above; {@code interleaved}: GPT-J's pairs (dimensions 2i and 2i + 1). */
  CheckResult qkvPrepare(int tokens, int nq, int nkv, int dim, boolean norms, boolean bias, float theta, int longFrom,
      int rotaryDim, boolean interleaved) {
    return qkvPrepare(tokens, nq, nkv, dim, norms, bias, theta, longFrom, rotaryDim, interleaved, false);
  }

  /** As above; {@code normAfterRope}: the q/k norms of the rotated heads (HunYuan). */
  CheckResult qkvPrepare(int tokens, int nq, int nkv, int dim, boolean norms, boolean bias, float theta, int longFrom,
      int rotaryDim, boolean interleaved, boolean normAfterRope) {
    int width = (nq + 2 * nkv) * dim, slotsTotal = 64;
    short[] qkv = randomBf16(rnd, tokens * width, 2);
    short[] b = bias ? randomBf16(rnd, width, 1) : null;
    short[] qn = norms ? randomBf16(rnd, dim, 1.5) : null, kn = norms ? randomBf16(rnd, dim, 1.5) : null;
    int[] pos = new int[tokens], slots = new int[tokens];
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < slotsTotal; i++) free.add(i);
    Collections.shuffle(free, rnd);
    for (int t = 0; t < tokens; t++) {
      pos[t] = rnd.nextInt(5000);
      slots[t] = free.get(t);
    }
    int half = rotaryDim / 2;
    float[] inv = new float[half], longInv = new float[half];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = (float) (1 / Math.pow(theta, 2.0 * i / rotaryDim));
      longInv[i] = inv[i] / (1 + 0.5f * i); // longrope-like: each pair rescaled by its own factor
    }
    boolean twoTables = longFrom != Integer.MAX_VALUE;
    float[] table = twoTables ? RotaryTable.build(inv, longInv, longFrom)
        : RotaryTable.of(new RopeFrequencies.Rotary(toDoubles(inv), null, Integer.MAX_VALUE), interleaved);
    float eps = 1e-6f;
    long pq = upT(qkv);
    long kc = buf.poisoned(es() * slotsTotal * nkv * dim), vc = buf.poisoned(es() * slotsTotal * nkv * dim);
    k.qkvPrepare(pq, bias ? upT(b) : 0, norms ? upT(qn) : 0, norms ? upT(kn) : 0, eps, buf.up(pos), buf.up(table),
        buf.up(slots), kc, vc, tokens, nq, nkv, dim, normAfterRope, stream);
    double[] qOut = readT(pq, tokens * width);
    double[] kOut = readT(kc, slotsTotal * nkv * dim), vOut = readT(vc, slotsTotal * nkv * dim);
    List<Double> got = new ArrayList<>(), want = new ArrayList<>();
    for (int t = 0; t < tokens; t++) {
      for (int h = 0; h < nq + nkv; h++) {
        boolean isQ = h < nq;
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
          int c = h * dim + i;
          v[i] = Bf16.toFloat(qkv[t * width + c]);
          if (bias) v[i] = v[i] + Bf16.toFloat(b[c]);
        }
        if (norms && !normAfterRope) rmsNorm(v, isQ ? qn : kn, eps);
        double[] o = v.clone();
        for (int i = 0; i < half; i++) {
          double angle = (float) pos[t] * (pos[t] >= longFrom ? longInv : inv)[i]; // the device forms it in f32
          double c = Math.cos(angle), s = Math.sin(angle);
          int i1 = interleaved ? 2 * i : i, i2 = interleaved ? 2 * i + 1 : i + half;
          o[i1] = v[i1] * c - v[i2] * s;
          o[i2] = v[i2] * c + v[i1] * s;
        }
        if (norms && normAfterRope) rmsNorm(o, isQ ? qn : kn, eps);
        for (int i = 0; i < dim; i++) {
          want.add(o[i]);
          got.add(isQ ? qOut[t * width + h * dim + i] : kOut[(slots[t] * nkv + h - nq) * dim + i]);
        }
        if (!isQ) {
          for (int i = 0; i < dim; i++) {
            int c = (nq + nkv + h - nq) * dim + i;
            double vv = Bf16.toFloat(qkv[t * width + c]);
            if (bias) vv = vv + Bf16.toFloat(b[c]);
            want.add(vv);
            got.add(vOut[(slots[t] * nkv + h - nq) * dim + i]);
          }
        }
      }
    }
    double e = relError(got.stream().mapToDouble(x -> x).toArray(), want.stream().mapToDouble(x -> x).toArray());
    return new CheckResult(
        String.format("qkv_prepare T=%d %d/%d D=%d%s%s%s%s%s%s", tokens, nq, nkv, dim, norms ? " qk-norm" : "", bias ? " bias" : "",
            twoTables ? " long table from " + longFrom : "", rotaryDim < dim ? " rotary " + rotaryDim : "",
            (interleaved ? " interleaved" : "") + (normAfterRope ? " norm after rope" : ""), sfx()),
        e, tol(), "");
  }

  /** v = w * v / rms(v), in place. */
  private static void rmsNorm(double[] v, short[] w, float eps) {
    double ss = 0;
    for (double x : v) ss += x * x;
    double r = 1 / Math.sqrt(ss / v.length + eps);
    for (int i = 0; i < v.length; i++) v[i] = Bf16.toFloat(w[i]) * v[i] * r;
  }

  /** Three sequences: a decode token at 700, a prefill chunk at 20..36, a first token. */
  CheckResult attention(int dim, int nq, int nkv, int blockSize, int forcedSplits, int window) {
    return attention(dim, nq, nkv, blockSize, forcedSplits, window, 0);
  }

  /** As above, the scores soft-capped at {@code softcap} (Gemma 2) where positive. */
  CheckResult attention(int dim, int nq, int nkv, int blockSize, int forcedSplits, int window, float softcap) {
    return attention(dim, nq, nkv, blockSize, forcedSplits, window, softcap, false);
  }

  /** As above, with random attention sinks (GPT-OSS) where {@code withSinks}. */
  CheckResult attention(int dim, int nq, int nkv, int blockSize, int forcedSplits, int window, float softcap,
      boolean withSinks) {
    return attention(dim, nq, nkv, blockSize, forcedSplits, window, softcap, withSinks, false);
  }

  /** As above, with ALiBi slopes (Bloom's) where {@code withAlibi}. */
  CheckResult attention(int dim, int nq, int nkv, int blockSize, int forcedSplits, int window, float softcap,
      boolean withSinks, boolean withAlibi) {
    int[][] seqTokens = {{699}, range(20, 37), {0}};
    int numBlocks = 0;
    for (int[] s : seqTokens) numBlocks += (s[s.length - 1] + blockSize) / blockSize;
    numBlocks += 5;
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < numBlocks; i++) free.add(i);
    Collections.shuffle(free, rnd);
    int btStride = (700 + blockSize - 1) / blockSize;
    int[] bt = new int[seqTokens.length * btStride];
    int next = 0;
    List<Integer> tokSeq = new ArrayList<>(), tokPos = new ArrayList<>();
    for (int s = 0; s < seqTokens.length; s++) {
      int last = seqTokens[s][seqTokens[s].length - 1];
      for (int b = 0; b <= last / blockSize; b++) bt[s * btStride + b] = free.get(next++);
      for (int p : seqTokens[s]) {
        tokSeq.add(s);
        tokPos.add(p);
      }
    }
    int tokens = tokSeq.size();
    int[] seq = tokSeq.stream().mapToInt(i -> i).toArray(), pos = tokPos.stream().mapToInt(i -> i).toArray();
    int cacheElems = numBlocks * blockSize * nkv * dim;
    short[] kc = randomBf16(rnd, cacheElems, 2), vc = randomBf16(rnd, cacheElems, 2);
    int qStride = (nq + 2 * nkv) * dim; // q inside a QKV row, as the runner passes it
    short[] q = randomBf16(rnd, tokens * qStride, 2);
    float scale = (float) (1 / Math.sqrt(dim));
    AttentionSplit split =
        forcedSplits > 0
            ? new AttentionSplit(forcedSplits, ((700 + forcedSplits - 1) / forcedSplits + 15) / 16 * 16)
            : AttentionSplit.plan(700, tokens, nkv, 264, 64);
    long out = buf.poisoned(es() * tokens * nq * dim);
    long partAcc = buf.poisoned(4L * tokens * nq * split.splits() * dim), partMl = buf.poisoned(8L * tokens * nq * split.splits());
    float[] sinks = withSinks ? FlashAttentionChecks.randomSinks(rnd, nq) : null;
    float[] alibi = withAlibi ? FlashAttentionChecks.alibiSlopes(nq) : null;
    var io = new Kernels.AttentionIo(upT(q), qStride, upT(kc), upT(vc), buf.up(bt), btStride, buf.up(seq), buf.up(pos),
        partAcc, partMl, out, nq * dim, sinks == null ? 0 : buf.up(sinks), alibi == null ? 0 : buf.up(alibi));
    k.attentionSoftcap(softcap);
    k.attention(io, tokens, blockSize, nq, nkv, dim, scale, window, split, stream);
    k.attentionSoftcap(0);
    double[] got = readT(out, tokens * nq * dim);
    double[] ref = FlashAttentionChecks.reference(q, qStride, kc, vc, bt, btStride, seq, pos, nq, nkv, dim, blockSize, scale,
        window, softcap, sinks, alibi);
    return new CheckResult(
        String.format("paged_attention D=%d %d/%d bs=%d splits=%d%s%s%s", dim, nq, nkv, blockSize,
            split.splits(), FlashAttentionChecks.span(window), (softcap > 0 ? " softcap=" + softcap : "")
                + (withSinks ? " sinks" : "") + (withAlibi ? " alibi" : ""), sfx()),
        relError(got, ref), tol(), "");
  }

  CheckResult actMul(int tokens, int inter, Activation act) {
    return actMul(tokens, inter, act, true);
  }

  /** act(gate) * up over [gate, up] rows, or ungated act(x) over [inter] rows (OPT, GPT-2). */
  CheckResult actMul(int tokens, int inter, Activation act, boolean gated) {
    int width = gated ? 2 * inter : inter;
    short[] gu = randomBf16(rnd, tokens * width, 4);
    long out = buf.poisoned(es() * tokens * inter);
    k.actMul(upT(gu), out, tokens, inter, act, gated, stream);
    double[] got = readT(out, tokens * inter), ref = new double[got.length];
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < inter; i++) {
        double g = Bf16.toFloat(gu[t * width + i]), u = gated ? Bf16.toFloat(gu[t * width + inter + i]) : 1;
        ref[t * inter + i] = act.of(g) * u;
      }
    }
    return new CheckResult("act_mul " + act + (gated ? " " : " ungated ") + tokens + "x" + inter + sfx(),
        relError(got, ref), tol(), "");
  }

  /**
   * latent_assemble: each head's query [rope | nope] from [nope | rope], key [shared rope | nope],
   * value zero-padded to nope + rope, against the layout written out here.
   */
  CheckResult latentAssemble(int tokens, int heads, int nope, int rope, int vDim) {
    int d = nope + rope;
    short[] q = randomBf16(rnd, tokens * heads * d, 1), kv = randomBf16(rnd, tokens * heads * (nope + vDim), 1);
    short[] kRope = randomBf16(rnd, tokens * rope, 1);
    long out = buf.poisoned(es() * tokens * 3L * heads * d);
    k.latentAssemble(upT(q), upT(kv), upT(kRope), out, tokens, heads, nope, rope, vDim, stream);
    double[] got = readT(out, tokens * 3 * heads * d), want = new double[got.length];
    for (int t = 0; t < tokens; t++) {
      for (int h = 0; h < heads; h++) {
        int row = t * 3 * heads * d;
        for (int i = 0; i < rope; i++) {
          want[row + h * d + i] = Bf16.toFloat(q[(t * heads + h) * d + nope + i]);
          want[row + (heads + h) * d + i] = Bf16.toFloat(kRope[t * rope + i]);
        }
        for (int i = 0; i < nope; i++) {
          want[row + h * d + rope + i] = Bf16.toFloat(q[(t * heads + h) * d + i]);
          want[row + (heads + h) * d + rope + i] = Bf16.toFloat(kv[(t * heads + h) * (nope + vDim) + i]);
        }
        for (int i = 0; i < vDim; i++) {
          want[row + (2 * heads + h) * d + i] = Bf16.toFloat(kv[(t * heads + h) * (nope + vDim) + nope + i]);
        }
      }
    }
    return new CheckResult(String.format("latent_assemble T=%d heads=%d nope=%d rope=%d v=%d%s", tokens, heads, nope, rope,
        vDim, sfx()), relError(got, want), 0, "");
  }

  /** OLMo's clip_qkv over QKV rows, in the runner's element type. */
  CheckResult clamp(int n, float limit) {
    short[] x = randomBf16(rnd, n, 2);
    long dev = upT(x);
    k.clamp(dev, n, limit, stream);
    double[] got = readT(dev, n), want = new double[n];
    for (int i = 0; i < n; i++) want[i] = Math.clamp(Bf16.toFloat(x[i]), -limit, limit);
    return new CheckResult("clamp " + n + " at " + limit + sfx(), relError(got, want), 0, "");
  }

  /** Gemma 2's final logit soft-capping over f32 rows. */
  CheckResult softcap(int rows, int vocab, float cap) {
    int n = rows * vocab;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) x[i] = (rnd.nextFloat() - 0.5f) * 40;
    long dev = buf.up(x);
    k.softcap(dev, n, cap, stream);
    float[] got = Transfers.readFloats(d, dev, n);
    double[] ref = new double[n], g = new double[n];
    for (int i = 0; i < n; i++) {
      ref[i] = cap * Math.tanh(x[i] / cap);
      g[i] = got[i];
    }
    return new CheckResult("softcap_f32 " + rows + "x" + vocab + " cap=" + cap, relError(g, ref), 1e-5, "");
  }

  CheckResult embedding(int tokens, int hidden, int vocab) {
    short[] table = randomBf16(rnd, vocab * hidden, 1);
    int[] ids = new int[tokens];
    for (int t = 0; t < tokens; t++) ids[t] = rnd.nextInt(vocab);
    long out = buf.poisoned(es() * tokens * hidden);
    k.embedding(buf.up(ids), upT(table), out, tokens, hidden, stream);
    double[] got = readT(out, tokens * hidden), ref = new double[got.length];
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < hidden; i++) ref[t * hidden + i] = Bf16.toFloat(table[ids[t] * hidden + i]);
    }
    return new CheckResult("embedding " + tokens + "x" + hidden + sfx(), relError(got, ref), 0, "exact");
  }

  /** Token rows plus learned position rows (OPT: offset 2), rounded once as the kernel adds in f32. */
  CheckResult embeddingWithPositions(int tokens, int hidden, int vocab, int offset) {
    short[] table = randomBf16(rnd, vocab * hidden, 1), posTable = randomBf16(rnd, (300 + offset) * hidden, 1);
    int[] ids = new int[tokens], pos = new int[tokens];
    for (int t = 0; t < tokens; t++) {
      ids[t] = rnd.nextInt(vocab);
      pos[t] = rnd.nextInt(300);
    }
    long out = buf.poisoned(es() * tokens * hidden);
    k.embedding(buf.up(ids), upT(table), out, tokens, hidden, upT(posTable), buf.up(pos), offset, stream);
    double[] got = readT(out, tokens * hidden), ref = new double[got.length];
    for (int t = 0; t < tokens; t++) {
      for (int i = 0; i < hidden; i++) {
        ref[t * hidden + i] = Bf16.toFloat(table[ids[t] * hidden + i]) + Bf16.toFloat(posTable[(pos[t] + offset) * hidden + i]);
      }
    }
    return new CheckResult("embedding + positions " + tokens + "x" + hidden + sfx(), relError(got, ref), tol(), "");
  }

  CheckResult argmax(int rows, int vocab) {
    float[] logits = new float[rows * vocab];
    int[] want = new int[rows];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < vocab; i++) logits[r * vocab + i] = (float) rnd.nextGaussian() * 3;
      int top = rnd.nextInt(vocab), tie = rnd.nextInt(vocab);
      logits[r * vocab + top] = 50;
      logits[r * vocab + tie] = 50; // equal maxima: the first index wins
      want[r] = Math.min(top, tie);
    }
    long out = buf.poisoned(4L * rows);
    k.argmax(buf.up(logits), rows, vocab, out, stream);
    d.synchronize(stream);
    int[] got = Transfers.readInts(d, out, rows);
    int wrong = 0;
    for (int r = 0; r < rows; r++) if (got[r] != want[r]) wrong++;
    return new CheckResult("argmax " + rows + "x" + vocab + " (ties)", wrong, 0, wrong + " wrong rows");
  }

  /**
   * Rows of each kind (greedy, temperature, temperature with min_p) against the CPU Sampler's rule:
   * the same uniform must pick the same token.
   */
  CheckResult sampleRows(int rows, int vocab) {
    float[] logits = new float[rows * vocab];
    float[] params = new float[rows * 3];
    for (int i = 0; i < logits.length; i++) logits[i] = (float) rnd.nextGaussian() * 4;
    for (int r = 0; r < rows; r++) {
      params[3 * r] = r % 3 == 0 ? 0f : (float) (1 / (0.5 + rnd.nextDouble()));
      params[3 * r + 1] = r % 3 == 2 ? (float) Math.log(0.05) : Float.NEGATIVE_INFINITY;
      params[3 * r + 2] = (float) rnd.nextDouble();
    }
    long out = buf.poisoned(4L * rows);
    k.sampleRows(buf.up(logits), rows, vocab, buf.up(params), 3, out, stream);
    d.synchronize(stream);
    int[] got = Transfers.readInts(d, out, rows);
    int wrong = 0;
    StringBuilder note = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      int want = cpuDraw(logits, r * vocab, vocab, params[3 * r], params[3 * r + 1], params[3 * r + 2]);
      if (got[r] != want) {
        wrong++;
        note.append(" row ").append(r).append(": ").append(got[r]).append(" != ").append(want);
      }
    }
    return new CheckResult("sample_rows " + rows + "x" + vocab + " greedy/temp/min_p", wrong, 0, wrong + " wrong" + note);
  }

  /** The CPU Sampler's order: temperature, min_p in log space, inverse CDF in id order. */
  static int cpuDraw(float[] logits, int off, int vocab, float invT, float logMinP, double u) {
    float[] l = new float[vocab];
    for (int i = 0; i < vocab; i++) l[i] = logits[off + i] * (invT == 0 ? 1 : invT);
    int arg = 0;
    for (int i = 1; i < vocab; i++) if (l[i] > l[arg]) arg = i;
    if (invT == 0) return arg;
    double mx = l[arg], threshold = mx + logMinP, total = 0;
    for (int i = 0; i < vocab; i++) if (l[i] >= threshold) total += Math.exp(l[i] - mx);
    double target = u * total, cum = 0;
    int last = arg;
    for (int i = 0; i < vocab; i++) {
      if (l[i] < threshold) continue;
      cum += Math.exp(l[i] - mx);
      last = i;
      if (cum > target) return i;
    }
    return last;
  }

  CheckResult linear(int rows, int in, int out, boolean f32Out) {
    short[] x = randomBf16(rnd, rows * in, 1), w = randomBf16(rnd, out * in, 0.1);
    long y = buf.poisoned((f32Out ? 4L : 2L) * rows * out);
    blas.linear(buf.up(x), buf.up(w), y, rows, in, out, f32Out ? CuBlas.R_32F : CuBlas.R_16BF, false);
    double[] got = f32Out ? buf.readF32(y, rows * out) : buf.readBf16(y, rows * out);
    double[] ref = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int i = 0; i < in; i++) s += Bf16.toFloat(x[r * in + i]) * Bf16.toFloat(w[o * in + i]);
        ref[r * out + o] = s;
      }
    }
    return new CheckResult(
        String.format("cublas linear %dx%d·%dx%dᵀ -> %s", rows, in, out, in, f32Out ? "f32" : "bf16"),
        relError(got, ref), f32Out ? F32_TOL : BF16_TOL, "");
  }

  /**
   * The f32 math mode's SGEMM: f32 in and out against double. 1e-5 holds f32 accumulation; TF32
   * (10-bit mantissas) would miss it by two orders of magnitude.
   */
  CheckResult linearF32(int rows, int in, int out) {
    float[] x = new float[rows * in], w = new float[out * in];
    for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
    for (int i = 0; i < w.length; i++) w[i] = (float) (rnd.nextGaussian() * 0.1);
    long y = buf.poisoned(4L * rows * out);
    blas.linear(buf.up(x), buf.up(w), y, rows, in, out, CuBlas.R_32F, CuBlas.R_32F, false);
    double[] got = buf.readF32(y, rows * out);
    double[] ref = new double[rows * out];
    for (int r = 0; r < rows; r++) {
      for (int o = 0; o < out; o++) {
        double s = 0;
        for (int i = 0; i < in; i++) s += (double) x[r * in + i] * w[o * in + i];
        ref[r * out + o] = s;
      }
    }
    return new CheckResult(String.format("cublas sgemm %dx%d·%dx%dᵀ f32 (no TF32)", rows, in, out, in),
        relError(got, ref), 1e-5, "");
  }

  CheckResult fillUniform(int n) {
    long p = buf.poisoned(2L * n);
    float scale = 0.02f;
    k.fillUniform(p, n, 1234, scale, stream);
    double[] v = buf.readBf16(p, n);
    double sum = 0, max = 0;
    for (double x : v) {
      if (Double.isNaN(x)) return new CheckResult("fill_uniform " + n, Double.POSITIVE_INFINITY, 0, "unwritten");
      sum += x;
      max = Math.max(max, Math.abs(x));
    }
    double mean = sum / n;
    // mean of n uniforms on [-s, s] has standard deviation s / sqrt(3n): allow 6 of them
    double err = Math.abs(mean) / (6 * scale / Math.sqrt(3.0 * n)) + (max > scale * 1.001 ? 1 : 0);
    return new CheckResult("fill_uniform " + n, err, 1, String.format("mean %.2e max %.4f", mean, max));
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }
}

package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.randomBf16;
import static dev.barista.cuda.check.Reference.relError;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.cuda.kernels.Gemv;
import dev.barista.cuda.kernels.Gemv.Epilogue;
import dev.barista.cuda.kernels.Gemv.Prologue;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.kernels.RotaryTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The fused GEMV kernels (gemv.cu) against double-precision CPU references: every prologue and
 * epilogue, row counts that fill an entry or leave rows of it idle, input widths that end inside
 * a group or take several passes, output counts that end inside a block. Outputs start poisoned.
 */
final class GemvChecks {
  private final CudaDriver d;
  private final Kernels k;
  private final long stream;
  private final Random rnd;
  private final CheckBuffers buf;

  GemvChecks(CudaDriver d, Kernels k, long stream, long seed) {
    this.d = d;
    this.k = k;
    this.stream = stream;
    this.rnd = new Random(seed);
    this.buf = new CheckBuffers(d, stream);
  }

  List<CheckResult> runAll() {
    List<CheckResult> r = new ArrayList<>();
    int[][] shapes = { // rows, in, out
      {1, 1024, 4096}, {3, 3072, 1024}, {8, 2048, 1000}, {2, 200, 77}, {1, 14336, 64}, {5, 1024, 3072}, {4, 4096, 300}};
    try {
      for (int[] s : shapes) {
        r.add(check(Prologue.COPY, Epilogue.STORE, s[0], s[1], s[2]));
        r.add(check(Prologue.NORM, Epilogue.STORE, s[0], s[1], s[2]));
        r.add(check(Prologue.COPY, Epilogue.RESIDUAL, s[0], s[1], s[2]));
        r.add(check(Prologue.NORM, Epilogue.SILU, s[0], s[1], s[2]));
        r.add(check(Prologue.NORM, Epilogue.LOGITS, s[0], s[1], s[2]));
      }
      r.add(check(Prologue.NORM, Epilogue.LOGITS, 1, 1024, 151936)); // Qwen3-0.6B's LM head
      // the QKV epilogue against the projection and qkv_prepare as two launches (qkv_prepare is
      // checked against the CPU in KernelChecks): Qwen3-like with q/k norms, Qwen2-like with bias
      r.add(CheckResult.printed("gemv qkv exception", () -> qkvEpilogue(1, 1024, 16, 8, 128, true, false)));
      r.add(CheckResult.printed("gemv qkv exception", () -> qkvEpilogue(5, 512, 4, 2, 64, false, true)));
      r.add(CheckResult.printed("gemv qkv exception", () -> qkvEpilogue(8, 2048, 32, 8, 64, true, true)));
    } finally {
      buf.freeAll();
    }
    return r;
  }

  private CheckResult check(Prologue p, Epilogue e, int rows, int in, int out) {
    return CheckResult.printed("gemv exception", () -> compare(p, e, rows, in, out));
  }

  private CheckResult compare(Prologue p, Epilogue e, int rows, int in, int out) {
    int wRows = e == Epilogue.SILU ? 2 * out : out;
    short[] w = randomBf16(rnd, wRows * in, 1);
    short[] x = randomBf16(rnd, rows * in, 1);
    float[] h = new float[rows * in];
    for (int i = 0; i < h.length; i++) h[i] = (float) (rnd.nextGaussian() * 3);
    short[] normW = randomBf16(rnd, in, 1.5);
    float[] residual = new float[rows * out];
    for (int i = 0; i < residual.length; i++) residual[i] = (float) rnd.nextGaussian();
    float eps = 1e-6f;

    // the reference inputs: x, or the RMSNorm of h
    double[][] xin = new double[rows][in];
    for (int m = 0; m < rows; m++) {
      double ss = 0;
      for (int i = 0; i < in; i++) ss += (double) h[m * in + i] * h[m * in + i];
      double inv = 1 / Math.sqrt(ss / in + eps);
      for (int i = 0; i < in; i++) {
        xin[m][i] = p == Prologue.COPY ? Bf16.toFloat(x[m * in + i]) : Bf16.toFloat(normW[i]) * h[m * in + i] * inv;
      }
    }
    double[] want = new double[rows * out];
    for (int m = 0; m < rows; m++) {
      for (int j = 0; j < out; j++) {
        double a = dot(w, j, xin[m], in);
        want[m * out + j] = switch (e) {
          case STORE, QKV, LOGITS -> a;
          case RESIDUAL -> residual[m * out + j] + a;
          case SILU -> {
            double u = dot(w, out + j, xin[m], in);
            yield a / (1 + Math.exp(-a)) * u;
          }
        };
      }
    }

    long pw = buf.up(w), px = p == Prologue.COPY ? buf.up(x) : 0, ph = p == Prologue.NORM ? buf.up(h) : 0;
    long pn = p == Prologue.NORM ? buf.up(normW) : 0;
    long py = e == Epilogue.RESIDUAL ? 0 : buf.poisoned((e == Epilogue.LOGITS ? 4L : 2L) * rows * out);
    long pr = e == Epilogue.RESIDUAL ? buf.up(residual) : 0;
    k.gemv(p, e, pw, in, out, px, ph, pn, eps, rows, py, pr, stream);
    double[] got = e == Epilogue.RESIDUAL ? buf.readF32(pr, rows * out)
        : e == Epilogue.LOGITS ? buf.readF32(py, rows * out) : buf.readBf16(py, rows * out);
    String name = "gemv " + p.name().toLowerCase() + "/" + e.name().toLowerCase() + " " + rows + "x" + in + "->" + out;
    return new CheckResult(name, relError(got, want), KernelChecks.BF16_TOL, "");
  }

  /**
   * One projection with the QKV epilogue, launched twice on fresh inputs (the per-head counts must
   * be back at zero after a launch), against the STORE projection followed by qkv_prepare: q, the
   * key cache and the value cache must match exactly.
   */
  private CheckResult qkvEpilogue(int rows, int in, int nq, int nkv, int dim, boolean norms, boolean bias) {
    int width = (nq + 2 * nkv) * dim, slotsTotal = 32;
    int[] pos = new int[rows], slots = new int[rows];
    for (int t = 0; t < rows; t++) {
      pos[t] = 17 + 5 * t;
      slots[t] = t == rows - 1 && rows > 1 ? -1 : 3 + 2 * t; // a padding row writes nothing
    }
    float[] inv = new float[dim / 2];
    for (int i = 0; i < inv.length; i++) inv[i] = (float) (1 / Math.pow(1e6, 2.0 * i / dim));
    long pPos = buf.up(pos), pSlots = buf.up(slots), pInv = buf.up(RotaryTable.single(inv));
    long qn = norms ? buf.up(randomBf16(rnd, dim, 1.5)) : 0, kn = norms ? buf.up(randomBf16(rnd, dim, 1.5)) : 0;
    long pb = bias ? buf.up(randomBf16(rnd, width, 1)) : 0;
    long counts = buf.poisoned(4L * (nq + 2 * nkv));
    d.memsetAsync(counts, (byte) 0, 4L * (nq + 2 * nkv), stream);
    long cacheBytes = 2L * slotsTotal * nkv * dim;
    double worst = 0;
    for (int round = 0; round < 2; round++) {
      long w = buf.up(randomBf16(rnd, width * in, 1)), x = buf.up(randomBf16(rnd, rows * in, 1));
      long[] y = {buf.poisoned(2L * rows * width), buf.poisoned(2L * rows * width)};
      long[] kc = {buf.poisoned(cacheBytes), buf.poisoned(cacheBytes)}, vc = {buf.poisoned(cacheBytes), buf.poisoned(cacheBytes)};
      k.gemv(Prologue.COPY, Epilogue.STORE, w, in, width, x, 0, 0, 0, rows, y[0], 0, stream);
      k.qkvPrepare(y[0], pb, qn, kn, 1e-6f, pPos, pInv, pSlots, kc[0], vc[0], rows, nq, nkv, dim, stream);
      var qa = new Gemv.QkvPrepare(pb, qn, kn, pPos, pInv, pSlots, kc[1], vc[1], counts, nq, nkv, dim);
      k.gemv(Prologue.COPY, Epilogue.QKV, w, in, width, x, 0, 0, 0, rows, y[1], 0, qa, stream);
      double[] want = buf.readBf16(y[0], rows * width), got = buf.readBf16(y[1], rows * width);
      double[] wantQ = new double[rows * nq * dim], gotQ = new double[wantQ.length];
      for (int t = 0; t < rows; t++) {
        System.arraycopy(want, t * width, wantQ, t * nq * dim, nq * dim);
        System.arraycopy(got, t * width, gotQ, t * nq * dim, nq * dim);
      }
      worst = Math.max(worst, differing(gotQ, wantQ));
      for (int i = 0; i < 2; i++) {
        long want2 = i == 0 ? kc[0] : vc[0], got2 = i == 0 ? kc[1] : vc[1];
        worst = Math.max(worst, differing(buf.readBf16(got2, slotsTotal * nkv * dim), buf.readBf16(want2, slotsTotal * nkv * dim)));
      }
    }
    String name = "gemv qkv epilogue " + rows + "x" + in + " " + nq + "/" + nkv + " D=" + dim + (norms ? " qk-norm" : "") + (bias ? " bias" : "");
    return new CheckResult(name, worst, 0, "(elements that differ, unwritten cache rows compared too)");
  }

  /** Elements that differ (NaN = NaN: a cache row left poisoned on both sides). */
  private static double differing(double[] got, double[] want) {
    int n = 0;
    for (int i = 0; i < got.length; i++) {
      if (Double.compare(got[i], want[i]) != 0) n++;
    }
    return n;
  }

  private static double dot(short[] w, int row, double[] x, int in) {
    double a = 0;
    for (int i = 0; i < in; i++) a += Bf16.toFloat(w[row * in + i]) * x[i];
    return a;
  }
}

package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.relError;
import static dev.barista.cuda.driver.CuBlas.R_16BF;
import static dev.barista.cuda.driver.CuBlas.R_32F;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CuBlasLt;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * cuBLASLt ({@link CuBlasLt}, {@code -Dbarista.cuda.gemm=cublaslt}) against cuBLAS ({@link CuBlas},
 * the default, itself checked against the CPU by KernelChecks in the same run) on every GEMM of
 * Qwen3-0.6B and Llama-3.1-8B at 1, 8, 64 and 512 rows, on random data: bf16 in (out as the runner
 * has it: bf16, f32 for the LM head) within 1e-2 relative, the f32 math mode within 1e-5; per
 * projection also accumulate, pointers aligned to only 16 bytes, and a first call made while
 * capturing a CUDA graph (as decode graphs do). With timings, each bf16 shape is timed through
 * both libraries as KernelTimings times GEMMs (median per launch inside CUDA graphs, four weight
 * sets in turn), printed as {@code gemm cublas vs cublaslt ROWSxINxOUT: A us / B us}.
 */
public final class BlasLtChecks {
  static final double F32_TOL = 1e-5;
  private static final int[] ROWS = {1, 8, 64, 512};
  private static final int WEIGHT_SETS = 4;

  /** One linear layer's product: {@code [rows, in] · [out, in]ᵀ}. */
  record Projection(String name, int in, int out) {
    /** The LM head writes f32 logits in the runner; the other layers bf16 activations. */
    int bf16ModeOutType() {
      return name.equals("lm_head") ? R_32F : R_16BF;
    }
  }

  /** A model's projections, from the config.json fields that decide them. */
  record Model(String name, List<Projection> projections) {
    static Model of(String name, int hidden, int heads, int kvHeads, int headDim, int inter, int vocab) {
      int q = heads * headDim, kv = kvHeads * headDim;
      return new Model(
          name,
          List.of(
              new Projection("qkv", hidden, q + 2 * kv),
              new Projection("o", q, hidden),
              new Projection("gate_up", hidden, 2 * inter),
              new Projection("down", inter, hidden),
              new Projection("lm_head", hidden, vocab)));
    }
  }

  static final List<Model> MODELS =
      List.of(
          Model.of("Qwen3-0.6B", 1024, 16, 8, 128, 3072, 151936),
          Model.of("Llama-3.1-8B", 4096, 32, 8, 128, 14336, 128256));

  /**
   * One comparison: {@code offset} bytes added to X and Y (0: as allocated, 256-aligned);
   * {@code inGraph}: cuBLASLt's call is captured into a CUDA graph and replayed.
   */
  private record Case(int rows, boolean f32, boolean accumulate, int offset, boolean inGraph) {
    static Case plain(int rows, boolean f32) {
      return new Case(rows, f32, false, 0, false);
    }

    String label() {
      return (accumulate ? " +=" : "") + (offset != 0 ? " at +" + offset + " B" : "") + (inGraph ? " in a graph" : "");
    }
  }

  private final CudaDriver d;
  private final Kernels k;
  private final CuBlas blas;
  private final long stream;
  private final Random rnd;
  private final KernelTimings timer;

  public BlasLtChecks(CudaDriver d, Kernels k, CuBlas blas, long stream, long seed) {
    this.d = d;
    this.k = k;
    this.blas = blas;
    this.stream = stream;
    this.rnd = new Random(seed);
    this.timer = new KernelTimings(d, k, blas, stream);
  }

  /** Every check, printed as it runs; with {@code timings}, the timing lines between them. */
  public List<CheckResult> runAll(boolean timings) {
    List<CheckResult> results = new ArrayList<>();
    CuBlasLt lt;
    try {
      lt = new CuBlasLt(d, stream);
    } catch (RuntimeException e) {
      results.add(CheckResult.printed("cublaslt bindings", () -> { throw e; }));
      return results;
    }
    try (lt) {
      for (Model m : MODELS) {
        for (Projection p : m.projections()) results.addAll(new ProjectionRun(lt, m, p).run(timings));
      }
      System.out.println("cublaslt planned " + lt.plannedShapes() + " shapes");
    }
    return results;
  }

  /** The device buffers of one projection, filled with random values, freed when its run ends. */
  private final class ProjectionRun {
    private final CuBlasLt lt;
    private final String name;
    private final Projection p;
    private final CheckBuffers buf = new CheckBuffers(d, stream);
    private long[] wBf16;
    private long wF32;
    private long x;
    private long yBlas;
    private long yLt;

    ProjectionRun(CuBlasLt lt, Model m, Projection p) {
      this.lt = lt;
      this.name = m.name() + " " + p.name();
      this.p = p;
    }

    List<CheckResult> run(boolean timings) {
      List<CheckResult> r = new ArrayList<>();
      try {
        allocate();
        // 3 rows: a shape first planned inside the capture; timings capture too, so only after it passed
        CheckResult captured = compare(new Case(3, false, false, 0, true));
        r.add(captured);
        for (int rows : ROWS) {
          r.add(compare(Case.plain(rows, false)));
          r.add(compare(Case.plain(rows, true)));
          if (timings && captured.passed()) timing(rows).ifPresent(r::add);
        }
        r.add(compare(new Case(8, false, true, 0, false)));
        r.add(compare(new Case(8, false, false, 16, false)));
      } catch (RuntimeException e) { // allocation: the projection's checks cannot run
        r.add(CheckResult.printed("cublaslt " + name, () -> { throw e; }));
      } finally {
        buf.freeAll();
      }
      return r;
    }

    private void allocate() {
      int maxRows = ROWS[ROWS.length - 1];
      long weights = (long) p.in() * p.out();
      wBf16 = new long[WEIGHT_SETS];
      for (int i = 0; i < WEIGHT_SETS; i++) wBf16[i] = filled(2 * weights, weights, 0.05f);
      // f32 buffers are filled as pairs of bf16 values: each f32 is then finite and within the scale
      wF32 = filled(4 * weights, 2 * weights, 0.05f);
      x = filled(4L * maxRows * p.in(), 2L * maxRows * p.in(), 1f);
      yBlas = buf.poisoned(4L * maxRows * p.out());
      yLt = buf.poisoned(4L * maxRows * p.out());
    }

    private long filled(long bytes, long bf16Count, float scale) {
      long ptr = buf.poisoned(bytes);
      k.fillUniform(ptr, bf16Count, rnd.nextInt(), scale, stream);
      return ptr;
    }

    private CheckResult compare(Case c) {
      int inType = c.f32() ? R_32F : R_16BF;
      int outType = c.f32() ? R_32F : p.bf16ModeOutType();
      String check =
          String.format("cublaslt %s %dx%dx%d %s->%s%s", name, c.rows(), p.in(), p.out(), typeName(inType),
              typeName(outType), c.label());
      return CheckResult.printed(check + " exception", () -> {
        long xs = x + c.offset(), ys = yBlas + c.offset(), yl = yLt + c.offset();
        long w = c.f32() ? wF32 : wBf16[0];
        int n = c.rows() * p.out();
        long outBytes = (outType == R_32F ? 4L : 2L) * n;
        if (c.accumulate()) { // the same random Y for both to add to
          k.fillUniform(ys, outBytes / 2, rnd.nextInt(), 1f, stream);
          d.copyDeviceAsync(yl, ys, outBytes, stream);
        } else {
          d.memsetAsync(ys, (byte) 0xff, outBytes, stream);
          d.memsetAsync(yl, (byte) 0xff, outBytes, stream);
        }
        blas.linear(xs, w, ys, c.rows(), p.in(), p.out(), inType, outType, c.accumulate());
        Runnable viaLt = () -> lt.linear(xs, w, yl, c.rows(), p.in(), p.out(), inType, outType, c.accumulate());
        if (c.inGraph()) {
          d.synchronize(stream);
          d.beginCapture(stream);
          try {
            viaLt.run();
          } catch (RuntimeException e) { // end the capture, so that the checks after this one can run
            try {
              d.destroyGraph(d.endCaptureAndInstantiate(stream));
            } catch (RuntimeException ended) {
              e.addSuppressed(ended);
            }
            throw e;
          }
          long graph = d.endCaptureAndInstantiate(stream);
          d.launchGraph(graph, stream);
          d.synchronize(stream);
          d.destroyGraph(graph);
        } else {
          viaLt.run();
        }
        double[] want = outType == R_32F ? buf.readF32(ys, n) : buf.readBf16(ys, n);
        double[] got = outType == R_32F ? buf.readF32(yl, n) : buf.readBf16(yl, n);
        double tol = outType == R_32F ? F32_TOL : KernelChecks.BF16_TOL;
        return new CheckResult(check, relError(got, want), tol, "vs cublas");
      });
    }

    /** Prints the timing line of a bf16 shape; a failure (in a graph) is a failed check. */
    private Optional<CheckResult> timing(int rows) {
      int outType = p.bf16ModeOutType();
      int[] turn = {0};
      try {
        float viaBlas =
            timer.time(() -> blas.linear(x, wBf16[turn[0]++ % WEIGHT_SETS], yBlas, rows, p.in(), p.out(), R_16BF,
                outType, false), 20);
        float viaLt =
            timer.time(() -> lt.linear(x, wBf16[turn[0]++ % WEIGHT_SETS], yLt, rows, p.in(), p.out(), R_16BF,
                outType, false), 20);
        System.out.printf("gemm cublas vs cublaslt %dx%dx%d: %.2f us / %.2f us%n", rows, p.in(), p.out(),
            viaBlas * 1e3, viaLt * 1e3);
        return Optional.empty();
      } catch (RuntimeException e) {
        String what = String.format("gemm timing %s %dx%dx%d", name, rows, p.in(), p.out());
        return Optional.of(CheckResult.printed(what, () -> { throw e; }));
      }
    }
  }

  private static String typeName(int type) {
    return type == R_32F ? "f32" : "bf16";
  }
}

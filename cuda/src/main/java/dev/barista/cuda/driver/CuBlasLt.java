package dev.barista.cuda.driver;

import static dev.barista.cuda.driver.CuBlas.COMPUTE_32F;
import static dev.barista.cuda.driver.CuBlas.OP_N;
import static dev.barista.cuda.driver.CuBlas.OP_T;
import static dev.barista.cuda.driver.CuBlas.R_16BF;
import static dev.barista.cuda.driver.CuBlas.R_32F;
import static dev.barista.cuda.driver.CuBlas.WORKSPACE_BYTES;
import static dev.barista.cuda.driver.Native.FLOAT;
import static dev.barista.cuda.driver.Native.INT;
import static dev.barista.cuda.driver.Native.LONG;
import static dev.barista.cuda.driver.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * cuBLASLt through FFM, the alternative to {@link CuBlas} behind {@code -Dbarista.cuda.gemm=cublaslt}
 * (see dev.barista.cuda.runner.Gemm): one handle on one stream with its own workspace, so that its
 * calls can be captured into CUDA graphs. {@link #linear} computes the same row-major
 * {@code Y[rows, out] = X[rows, in] · W[out, in]ᵀ} as CuBlas (f32 compute, no TF32).
 *
 * <p>The first call of a shape (rows, in, out, types, accumulate, pointer alignment) creates its
 * matrix layouts and asks the heuristic for an algorithm; later calls of that shape find them in a
 * table that allocates nothing, so a steady-state call is one {@code cublasLtMatmul}. Each
 * distinct row count is a shape of its own (prefill steps of many sizes make many plans, a few
 * hundred bytes of host memory each, kept until close). One thread at a time, like its stream.
 *
 * <p>Enum values and struct layouts are those of cublasLt.h (cuBLAS 13); CuBlasLtLayoutTest holds
 * the numbers a C program compiled against that header printed.
 */
public final class CuBlasLt implements AutoCloseable {
  // cublasLtMatmulDescAttributes_t
  static final int DESC_TRANSA = 3;
  static final int DESC_TRANSB = 4;
  // cublasLtMatmulPreferenceAttributes_t (MIN_ALIGNMENT_B, _C, _D are 6, 7, 8)
  static final int PREF_MAX_WORKSPACE_BYTES = 1;
  static final int PREF_MIN_ALIGNMENT_A_BYTES = 5;
  /** Alignment (log2 bytes) a plan can ask of its pointers at most: cuBLASLt's default, 256. */
  static final int MAX_ALIGNMENT_LOG2 = 8;

  /** cublasLtMatmulAlgo_t: {@code uint64_t data[8]}, opaque. */
  static final MemoryLayout ALGO = MemoryLayout.sequenceLayout(8, LONG);

  /** cublasLtMatmulHeuristicResult_t. */
  static final StructLayout HEURISTIC_RESULT =
      MemoryLayout.structLayout(
          ALGO.withName("algo"),
          LONG.withName("workspaceSize"),
          INT.withName("state"),
          FLOAT.withName("wavesCount"),
          MemoryLayout.sequenceLayout(4, INT).withName("reserved"));

  static final long RESULT_ALGO = offset("algo");
  static final long RESULT_STATE = offset("state");

  private static volatile Bindings bindings;

  private final Bindings b;
  private final CudaDriver driver;
  private final long stream;
  private final long handle;
  private final long workspace;
  private final long matmulDesc;
  private final Arena arena = Arena.ofShared(); // alpha, beta and the plans' heuristic results
  private final long one;
  private final long zero;
  private final LongPairMap<Plan> plans = new LongPairMap<>();

  private record Bindings(
      MethodHandle create,
      MethodHandle destroy,
      MethodHandle descCreate,
      MethodHandle descSetAttribute,
      MethodHandle descDestroy,
      MethodHandle layoutCreate,
      MethodHandle layoutDestroy,
      MethodHandle prefCreate,
      MethodHandle prefSetAttribute,
      MethodHandle prefDestroy,
      MethodHandle heuristic,
      MethodHandle matmul,
      MethodHandle statusName,
      MethodHandle statusString) {}

  /**
   * One shape's matrix layouts (W, X, and Y, which is both C and D) and the address of its
   * heuristic result, whose first member is the algorithm cublasLtMatmul takes.
   */
  private record Plan(long wLayout, long xLayout, long yLayout, long algo) {}

  private static Bindings bindings() {
    Bindings bs = bindings;
    if (bs != null) return bs;
    synchronized (CuBlasLt.class) {
      if (bindings == null) {
        String lib = "libcublasLt.so.13";
        Native n = new Native(NativeLibraries.load(lib, Arena.global()), lib);
        // handles, descriptors and device pointers are passed as addresses (long), so that the
        // hot call needs no MemorySegment
        bindings =
            new Bindings(
                n.status("cublasLtCreate", PTR),
                n.status("cublasLtDestroy", LONG),
                n.status("cublasLtMatmulDescCreate", PTR, INT, INT),
                n.status("cublasLtMatmulDescSetAttribute", LONG, INT, PTR, LONG),
                n.status("cublasLtMatmulDescDestroy", LONG),
                n.status("cublasLtMatrixLayoutCreate", PTR, INT, LONG, LONG, LONG),
                n.status("cublasLtMatrixLayoutDestroy", LONG),
                n.status("cublasLtMatmulPreferenceCreate", PTR),
                n.status("cublasLtMatmulPreferenceSetAttribute", LONG, INT, PTR, LONG),
                n.status("cublasLtMatmulPreferenceDestroy", LONG),
                n.status("cublasLtMatmulAlgoGetHeuristic", LONG, LONG, LONG, LONG, LONG, LONG, LONG, INT, PTR, PTR),
                n.fastStatus(
                    "cublasLtMatmul", LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG, LONG,
                    LONG, LONG, LONG, LONG, LONG),
                n.bind("cublasLtGetStatusName", FunctionDescriptor.of(PTR, INT), false),
                n.bind("cublasLtGetStatusString", FunctionDescriptor.of(PTR, INT), false));
      }
      return bindings;
    }
  }

  /** Binds libcublasLt.so.13 now, or throws a CudaUnavailableException saying why. */
  static void loadLibrary() {
    bindings();
  }

  public CuBlasLt(CudaDriver driver, long stream) {
    this.b = bindings();
    this.driver = driver;
    this.stream = stream;
    this.handle = created("cublasLtCreate", b.create);
    this.workspace = driver.malloc(WORKSPACE_BYTES);
    // scale type f32 for alpha and beta; 32F compute over f32 inputs is plain f32 (TF32 would be
    // COMPUTE_32F_FAST_TF32)
    this.matmulDesc = created("cublasLtMatmulDescCreate", b.descCreate, COMPUTE_32F, R_32F);
    setAttribute("cublasLtMatmulDescSetAttribute", b.descSetAttribute, matmulDesc, DESC_TRANSA, INT, OP_T);
    setAttribute("cublasLtMatmulDescSetAttribute", b.descSetAttribute, matmulDesc, DESC_TRANSB, INT, OP_N);
    this.one = arena.allocateFrom(FLOAT, 1f).address();
    this.zero = arena.allocateFrom(FLOAT, 0f).address();
  }

  /**
   * {@code Y[rows, out] = X[rows, in] · W[out, in]ᵀ (+ Y when accumulate)}, all row-major; X and W
   * of {@code inType} (CuBlas.R_16BF, or R_32F for the f32 math mode), Y of {@code outType}
   * (R_16BF or R_32F), accumulation in f32.
   */
  public void linear(long x, long w, long y, int rows, int in, int out, int inType, int outType, boolean accumulate) {
    if (rows == 0) return; // an empty batch: nothing to multiply, and no shape worth a plan
    requireType(inType);
    requireType(outType);
    int alignLog2 = Long.numberOfTrailingZeros(x | w | y | 1L << MAX_ALIGNMENT_LOG2);
    long high = shapeKeyHigh(rows, in);
    long low = shapeKeyLow(out, inType, outType, accumulate, alignLog2);
    Plan p = plans.get(high, low);
    if (p == null) {
      p = plan(rows, in, out, inType, outType, alignLog2);
      plans.put(high, low, p);
    }
    int rc;
    try {
      // column-major, as cuBLASLt sees it: Yᵀ[out, rows] = op_T(W as [in, out]) · Xᵀ[in, rows]
      rc =
          (int)
              b.matmul.invokeExact(
                  handle, matmulDesc, one, w, p.wLayout(), x, p.xLayout(), accumulate ? one : zero,
                  y, p.yLayout(), y, p.yLayout(), p.algo(), workspace, WORKSPACE_BYTES, stream);
    } catch (Throwable t) {
      throw CudaDriver.rethrow(t);
    }
    if (rc != 0) check("cublasLtMatmul(" + describe(rows, in, out, inType, outType) + ")", rc);
  }

  /** Shapes planned so far. */
  public int plannedShapes() {
    return plans.size();
  }

  /** The first half of a shape's cache key: rows and in. */
  static long shapeKeyHigh(int rows, int in) {
    return (long) rows << 32 | (in & 0xffffffffL);
  }

  /**
   * The second half: out, both data types (cudaDataType values below 256), accumulate, and the
   * alignment (log2 bytes, at most {@value #MAX_ALIGNMENT_LOG2}) that all three pointers share.
   */
  static long shapeKeyLow(int out, int inType, int outType, boolean accumulate, int alignLog2) {
    return (long) out << 32 | (inType & 0xff) << 16 | (outType & 0xff) << 8 | (accumulate ? 0x10 : 0) | alignLog2 & 0xf;
  }

  private static void requireType(int type) {
    if (type != R_16BF && type != R_32F) {
      throw new IllegalArgumentException("cuBLASLt linear takes R_16BF (14) or R_32F (0), not " + type);
    }
  }

  private static String describe(int rows, int in, int out, int inType, int outType) {
    return rows + "x" + in + " · " + out + "x" + in + "ᵀ " + typeName(inType) + "->" + typeName(outType);
  }

  private static String typeName(int type) {
    return type == R_32F ? "f32" : "bf16";
  }

  /** Layouts and algorithm of one shape; what it made is destroyed again if a step fails. */
  private Plan plan(int rows, int in, int out, int inType, int outType, int alignLog2) {
    Offers o = offers(rows, in, out, inType, outType, alignLog2, 1, arena);
    return new Plan(o.wLayout(), o.xLayout(), o.yLayout(), o.results().address() + RESULT_ALGO);
  }

  /** A shape's layouts and the heuristic's first {@code found} results (in {@code results}). */
  private record Offers(long wLayout, long xLayout, long yLayout, MemorySegment results, int found) {}

  /**
   * The layouts of a shape and up to {@code max} algorithms the heuristic offers for it, best
   * first, into results allocated from {@code into}; the layouts are the caller's to destroy (they
   * are destroyed here if a step fails).
   */
  private Offers offers(int rows, int in, int out, int inType, int outType, int alignLog2, int max, Arena into) {
    String shape = describe(rows, in, out, inType, outType);
    long wLayout = 0, xLayout = 0, yLayout = 0, pref = 0;
    try {
      String call = "cublasLtMatrixLayoutCreate(" + shape + ")";
      // column-major views of the row-major matrices: W as [in, out], X as [in, rows], Y as [out, rows]
      wLayout = created(call, b.layoutCreate, inType, (long) in, (long) out, (long) in);
      xLayout = created(call, b.layoutCreate, inType, (long) in, (long) rows, (long) in);
      yLayout = created(call, b.layoutCreate, outType, (long) out, (long) rows, (long) out);
      pref = created("cublasLtMatmulPreferenceCreate", b.prefCreate);
      String set = "cublasLtMatmulPreferenceSetAttribute";
      setAttribute(set, b.prefSetAttribute, pref, PREF_MAX_WORKSPACE_BYTES, LONG, WORKSPACE_BYTES);
      for (int matrix = 0; matrix < 4; matrix++) { // A, B, C, D
        setAttribute(set, b.prefSetAttribute, pref, PREF_MIN_ALIGNMENT_A_BYTES + matrix, INT, 1 << alignLog2);
      }
      MemorySegment results = into.allocate(HEURISTIC_RESULT, max);
      int found;
      try (Arena a = Arena.ofConfined()) {
        MemorySegment count = a.allocate(INT);
        String call2 = "cublasLtMatmulAlgoGetHeuristic(" + shape + ")";
        check(call2, Native.call(b.heuristic, handle, matmulDesc, wLayout, xLayout, yLayout, yLayout, pref, max, results, count));
        found = count.get(INT, 0);
        if (found < 1) throw new CudaException(call2 + " found no algorithm");
        check(call2 + " result", results.get(INT, RESULT_STATE));
      }
      Offers o = new Offers(wLayout, xLayout, yLayout, results, found);
      wLayout = xLayout = yLayout = 0; // the caller owns them now
      return o;
    } finally {
      if (pref != 0) check("cublasLtMatmulPreferenceDestroy", Native.call(b.prefDestroy, pref));
      for (long layout : new long[] {wLayout, xLayout, yLayout}) destroyLayout(layout);
    }
  }

  /**
   * For measurement only: each of the first {@code max} algorithms the heuristic offers for the
   * bf16 projection {@code y = x · wᵀ} of this shape, best first, timed by {@code time} (which
   * runs its argument and returns milliseconds) on these buffers; NaN for an algorithm whose
   * result state is an error or whose workspace exceeds ours. {@link #linear} takes the first.
   */
  public double[] timeOfferedAlgorithms(long x, long w, long y, int rows, int in, int out, int max,
      java.util.function.ToDoubleFunction<Runnable> time) {
    int alignLog2 = Long.numberOfTrailingZeros(x | w | y | 1L << MAX_ALIGNMENT_LOG2);
    try (Arena a = Arena.ofConfined()) {
      Offers o = offers(rows, in, out, R_16BF, R_16BF, alignLog2, max, a);
      try {
        double[] ms = new double[o.found()];
        for (int i = 0; i < o.found(); i++) {
          long result = o.results().address() + i * HEURISTIC_RESULT.byteSize();
          MemorySegment r = o.results().asSlice(i * HEURISTIC_RESULT.byteSize(), HEURISTIC_RESULT);
          if (r.get(INT, RESULT_STATE) != 0 || r.get(LONG, offset("workspaceSize")) > WORKSPACE_BYTES) {
            ms[i] = Double.NaN;
            continue;
          }
          long algo = result + RESULT_ALGO;
          ms[i] = time.applyAsDouble(() -> {
            int rc;
            try {
              rc = (int) b.matmul.invokeExact(handle, matmulDesc, one, w, o.wLayout(), x, o.xLayout(), zero,
                  y, o.yLayout(), y, o.yLayout(), algo, workspace, WORKSPACE_BYTES, stream);
            } catch (Throwable t) {
              throw CudaDriver.rethrow(t);
            }
            if (rc != 0) check("cublasLtMatmul(" + describe(rows, in, out, R_16BF, R_16BF) + ", offer)", rc);
          });
        }
        return ms;
      } finally {
        for (long layout : new long[] {o.wLayout(), o.xLayout(), o.yLayout()}) destroyLayout(layout);
      }
    }
  }

  private void destroyLayout(long layout) {
    if (layout != 0) check("cublasLtMatrixLayoutDestroy", Native.call(b.layoutDestroy, layout));
  }

  /** Calls {@code creator(&out, args...)} and returns what it wrote to out: a handle or descriptor. */
  private long created(String call, MethodHandle creator, Object... args) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment out = a.allocate(PTR);
      Object[] all = new Object[args.length + 1];
      all[0] = out;
      System.arraycopy(args, 0, all, 1, args.length);
      check(call, Native.call(creator, all));
      return out.get(PTR, 0).address();
    }
  }

  /** Sets one attribute of {@code target} to {@code value} of {@code layout} (INT or LONG). */
  private void setAttribute(String call, MethodHandle setter, long target, int attribute, ValueLayout layout, long value) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(layout);
      if (layout == INT) buf.set(INT, 0, (int) value);
      else buf.set(LONG, 0, value);
      check(call + "(attribute " + attribute + ")", Native.call(setter, target, attribute, buf, layout.byteSize()));
    }
  }

  private void check(String call, int status) {
    Native.checkStatus(call, status, b.statusName, b.statusString);
  }

  private static long offset(String member) {
    return HEURISTIC_RESULT.byteOffset(PathElement.groupElement(member));
  }

  @Override
  public void close() {
    plans.forEach(
        p -> {
          destroyLayout(p.wLayout());
          destroyLayout(p.xLayout());
          destroyLayout(p.yLayout());
        });
    plans.clear();
    check("cublasLtMatmulDescDestroy", Native.call(b.descDestroy, matmulDesc));
    check("cublasLtDestroy", Native.call(b.destroy, handle));
    driver.free(workspace);
    arena.close();
  }
}

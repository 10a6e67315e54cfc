package dev.barista.cuda.driver;

import static dev.barista.cuda.driver.Native.INT;
import static dev.barista.cuda.driver.Native.LONG;
import static dev.barista.cuda.driver.Native.PTR;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through FFM: one handle bound to one stream, with its own workspace so that its calls can
 * be captured into CUDA graphs. Barista's matrices are row-major; {@link #linear} maps
 * {@code Y[rows, out] = X[rows, in] · W[out, in]ᵀ} onto cuBLAS's column-major GEMM.
 */
public final class CuBlas implements AutoCloseable {
  static final int OP_N = 0;
  static final int OP_T = 1;
  /** cudaDataType values. */
  public static final int R_32F = 0;

  public static final int R_16BF = 14;
  static final int COMPUTE_32F = 68;
  static final int GEMM_DEFAULT = -1;
  static final long WORKSPACE_BYTES = 32L << 20;

  private static volatile Bindings bindings;

  private final Bindings b;
  private final CudaDriver driver;
  private final long handle;
  private final long workspace;
  private final MemorySegment one;
  private final MemorySegment zero;

  private record Bindings(
      MethodHandle create,
      MethodHandle destroy,
      MethodHandle setStream,
      MethodHandle setWorkspace,
      MethodHandle gemmEx,
      MethodHandle statusName,
      MethodHandle statusString) {}

  private static Bindings bindings() {
    Bindings bs = bindings;
    if (bs != null) return bs;
    synchronized (CuBlas.class) {
      if (bindings == null) {
        Arena g = Arena.global();
        NativeLibraries.load("libcublasLt.so.13", g); // cuBLAS needs it loaded first when off-path
        Native n = new Native(NativeLibraries.load("libcublas.so.13", g), "libcublas.so.13");
        bindings =
            new Bindings(
                n.status("cublasCreate_v2", PTR),
                n.status("cublasDestroy_v2", PTR),
                n.status("cublasSetStream_v2", PTR, PTR),
                n.status("cublasSetWorkspace_v2", PTR, LONG, LONG),
                n.fastStatus(
                    "cublasGemmEx", PTR, INT, INT, INT, INT, INT, PTR, LONG, INT, INT, LONG, INT,
                    INT, PTR, LONG, INT, INT, INT, INT),
                n.bind("cublasGetStatusName", FunctionDescriptor.of(PTR, INT), false),
                n.bind("cublasGetStatusString", FunctionDescriptor.of(PTR, INT), false));
      }
      return bindings;
    }
  }

  public CuBlas(CudaDriver driver, long stream) {
    this.b = bindings();
    this.driver = driver;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment h = a.allocate(PTR);
      check("cublasCreate", Native.call(b.create, h));
      handle = h.get(PTR, 0).address();
    }
    check("cublasSetStream", Native.call(b.setStream, MemorySegment.ofAddress(handle), MemorySegment.ofAddress(stream)));
    workspace = driver.malloc(WORKSPACE_BYTES);
    check(
        "cublasSetWorkspace",
        Native.call(b.setWorkspace, MemorySegment.ofAddress(handle), workspace, WORKSPACE_BYTES));
    Arena global = Arena.global();
    one = global.allocateFrom(Native.FLOAT, 1f);
    zero = global.allocateFrom(Native.FLOAT, 0f);
  }

  /**
   * {@code Y[rows, out] = X[rows, in] · W[out, in]ᵀ (+ Y when accumulate)}; X and W are bf16,
   * Y is bf16 or f32 ({@code outType}), accumulation in f32.
   */
  public void linear(long x, long w, long y, int rows, int in, int out, int outType, boolean accumulate) {
    linear(x, w, y, rows, in, out, R_16BF, outType, accumulate);
  }

  /**
   * As above with X and W of {@code inType} (R_16BF, or R_32F for the f32 math mode: an SGEMM with
   * 32F compute; the handle keeps cuBLAS's default math mode, so no TF32).
   */
  public void linear(long x, long w, long y, int rows, int in, int out, int inType, int outType, boolean accumulate) {
    int rc;
    MemorySegment beta = accumulate ? one : zero;
    try {
      rc =
          (int)
              b.gemmEx.invokeExact(
                  MemorySegment.ofAddress(handle), OP_T, OP_N, out, rows, in, one, w, inType, in,
                  x, inType, in, beta, y, outType, out, COMPUTE_32F,
                  GEMM_DEFAULT);
    } catch (Throwable t) {
      throw CudaDriver.rethrow(t);
    }
    if (rc != 0) check("cublasGemmEx(" + rows + "x" + in + " · " + out + "x" + in + "ᵀ)", rc);
  }

  private void check(String call, int status) {
    Native.checkStatus(call, status, b.statusName, b.statusString);
  }

  @Override
  public void close() {
    check("cublasDestroy", Native.call(b.destroy, MemorySegment.ofAddress(handle)));
    driver.free(workspace);
  }
}

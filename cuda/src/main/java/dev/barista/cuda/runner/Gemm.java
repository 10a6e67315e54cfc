package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CuBlasLt;
import dev.barista.cuda.driver.CudaDriver;
import java.util.Locale;

/**
 * The library behind the runner's linear layers, chosen by {@value #PROPERTY}: {@code cublas}
 * (the default, {@link CuBlas}) or {@code cublaslt} ({@link CuBlasLt}, its descriptors and
 * algorithm planned once per shape). Both compute the same row-major {@code Y = X · Wᵀ} with f32
 * accumulation on the runner's stream, inside or outside CUDA graphs.
 */
public final class Gemm implements AutoCloseable {
  /** System property choosing the GEMM library: {@code cublas} (default) or {@code cublaslt}. */
  public static final String PROPERTY = "barista.cuda.gemm";

  public enum Library {
    CUBLAS,
    CUBLASLT;

    /** The library {@value Gemm#PROPERTY} asks for. @throws IllegalArgumentException for a bad value */
    public static Library requested() {
      return parse(System.getProperty(PROPERTY));
    }

    static Library parse(String value) {
      if (value == null || value.isBlank()) return CUBLAS;
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "cublas" -> CUBLAS;
        case "cublaslt" -> CUBLASLT;
        default -> throw new IllegalArgumentException("-D" + PROPERTY + " takes cublas or cublaslt, not '" + value + "'");
      };
    }
  }

  /** The shape of CuBlas.linear and CuBlasLt.linear. */
  @FunctionalInterface
  private interface Linear {
    void run(long x, long w, long y, int rows, int in, int out, int inType, int outType, boolean accumulate);
  }

  private final Library library;
  private final Linear linear;
  private final Runnable close;

  private Gemm(Library library, Linear linear, Runnable close) {
    this.library = library;
    this.linear = linear;
    this.close = close;
  }

  /** The library {@value #PROPERTY} asks for, bound to {@code stream}. */
  public static Gemm open(CudaDriver driver, long stream) {
    return open(Library.requested(), driver, stream);
  }

  public static Gemm open(Library library, CudaDriver driver, long stream) {
    return switch (library) {
      case CUBLAS -> {
        CuBlas blas = new CuBlas(driver, stream);
        yield new Gemm(library, blas::linear, blas::close);
      }
      case CUBLASLT -> {
        CuBlasLt lt = new CuBlasLt(driver, stream);
        yield new Gemm(library, lt::linear, lt::close);
      }
    };
  }

  public Library library() {
    return library;
  }

  /**
   * {@code Y[rows, out] = X[rows, in] · W[out, in]ᵀ (+ Y when accumulate)}: X and W of
   * {@code inType}, Y of {@code outType} (CuBlas.R_16BF or CuBlas.R_32F).
   */
  public void linear(long x, long w, long y, int rows, int in, int out, int inType, int outType, boolean accumulate) {
    linear.run(x, w, y, rows, in, out, inType, outType, accumulate);
  }

  @Override
  public void close() {
    close.run();
  }
}

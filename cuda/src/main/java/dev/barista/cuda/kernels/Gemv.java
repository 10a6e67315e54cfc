package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;

/**
 * Decode-sized products {@code y = x · Wᵀ} for at most {@link #MAX_ROWS} token rows with their
 * neighbours fused in (gemv.cu): RMSNorm from the f32 residual stream before the product, and the
 * residual add or SiLU-and-mul after it. Weights are read once per launch at near memory bandwidth,
 * and a launch loads its first weights before waiting for the kernel ahead of it.
 */
public final class Gemv {
  /** Most token rows of one launch (the largest M entry). */
  public static final int MAX_ROWS = 8;
  static final int WARPS = 8;
  static final int GROUP = 256; // inputs per group: 32 lanes x 8
  static final int LOADS_PER_LANE = 4; // P in gemv.cu
  /** Shared memory a launch stages its inputs in: rows x in bf16, within the default 48 KiB. */
  static final int MAX_STAGED_BYTES = 48 << 10;

  /** What comes before the product: the inputs as given, or RMSNorm of the residual stream. */
  public enum Prologue {
    COPY("copy"),
    NORM("norm");

    final String entry;

    Prologue(String entry) {
      this.entry = entry;
    }
  }

  /** What comes after: a bf16 store, an add into the f32 residual, or SiLU(gate) x up. */
  public enum Epilogue {
    STORE("store"),
    RESIDUAL("residual"),
    SILU("silu");

    final String entry;

    Epilogue(String entry) {
      this.entry = entry;
    }
  }

  private static final int[] ENTRY_ROWS = {1, 2, 4, 8};
  private final Kernel[][][] entries = new Kernel[ENTRY_ROWS.length][Prologue.values().length][Epilogue.values().length];

  Gemv(CudaDriver driver) {
    KernelModule module = KernelModule.load(driver, "gemv");
    for (int m = 0; m < ENTRY_ROWS.length; m++) {
      for (Prologue p : Prologue.values()) {
        for (Epilogue e : Epilogue.values()) {
          if (!exists(p, e)) continue;
          entries[m][p.ordinal()][e.ordinal()] = module.kernel("gemv_m" + ENTRY_ROWS[m] + "_" + p.entry + "_" + e.entry);
        }
      }
    }
  }

  /** The combinations gemv.cu instantiates (those a decoder layer uses). */
  static boolean exists(Prologue p, Epilogue e) {
    return switch (e) {
      case STORE -> true;
      case RESIDUAL -> p == Prologue.COPY;
      case SILU -> p == Prologue.NORM;
    };
  }

  /** Whether a product of {@code rows} token rows over {@code in} inputs can run here. */
  public static boolean supports(int rows, int in) {
    return rows >= 1 && rows <= MAX_ROWS && in % 8 == 0 && stagedBytes(rows, in) <= MAX_STAGED_BYTES;
  }

  /** The entry's M: the least of 1, 2, 4, 8 that holds {@code rows}. */
  static int entryRows(int rows) {
    for (int m : ENTRY_ROWS) if (m >= rows) return m;
    throw new IllegalArgumentException("gemv takes at most " + MAX_ROWS + " rows, not " + rows);
  }

  static int stagedBytes(int rows, int in) {
    return entryRows(rows) * in * 2;
  }

  /**
   * Warps that share one output row (1, 2, 4 or 8): enough that each warp's share of the inputs is
   * about one pass of {@link #LOADS_PER_LANE} groups, so long rows (a down projection) still spread
   * over many blocks and few passes.
   */
  static int warpsPerRow(int in) {
    int groups = (in + GROUP - 1) / GROUP;
    int ks = 1;
    while (ks < WARPS && ks * LOADS_PER_LANE < groups) ks *= 2;
    return ks;
  }

  /** Blocks of one launch: each computes {@code WARPS / warpsPerRow} output rows. */
  static int blocks(int out, int in) {
    int perBlock = WARPS / warpsPerRow(in);
    return (out + perBlock - 1) / perBlock;
  }

  /**
   * One launch. {@code out} is the number of outputs per token (for SILU the gate rows; W then has
   * 2 x out rows, gate first). COPY reads bf16 {@code x} [rows, in]; NORM reads the f32
   * {@code normResidual} [rows, in] with weights {@code normWeight}. STORE and SILU write bf16
   * {@code y} [rows, out]; RESIDUAL adds into the f32 {@code residual} [rows, out].
   */
  void launch(
      Prologue p, Epilogue e, long w, int in, int out, long x, long normResidual, long normWeight, float eps,
      int rows, long y, long residual, long stream, KernelArgs args) {
    if (!supports(rows, in) || !exists(p, e)) {
      throw new IllegalArgumentException("no gemv entry for " + rows + " rows of " + in + " inputs, " + p + "/" + e);
    }
    int m = entryRows(rows);
    int mi = Integer.numberOfTrailingZeros(m);
    args.reset().ptr(w).i32(in).i32(out).i32(warpsPerRow(in)).ptr(x).ptr(normResidual).ptr(normWeight).f32(eps)
        .i32(rows).ptr(y).ptr(residual);
    entries[mi][p.ordinal()][e.ordinal()].launch(blocks(out, in), 1, 1, WARPS * 32, stagedBytes(rows, in), stream, args);
  }
}

package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.DeviceAttribute;

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

  /**
   * What comes after: a bf16 store, an add into the f32 residual, SiLU(gate) x up, a store
   * followed by qkv_prepare's per-head work (bias, q/k norm, RoPE, the KV-cache write), done by the
   * block that completes each head, or an f32 store (logits, after a NORM prologue).
   */
  public enum Epilogue {
    STORE("store"),
    RESIDUAL("residual"),
    SILU("silu"),
    QKV("qkv"),
    LOGITS("logits");

    final String entry;

    Epilogue(String entry) {
      this.entry = entry;
    }
  }

  /**
   * Blocks a launch keeps per multiprocessor; each loops over groups of rows. Fewer than fill a
   * multiprocessor leave room for the next kernel's blocks to start early (programmatic dependent
   * launch). {@value #BLOCKS_PER_SM_PROPERTY} overrides it (1 to 8), for measuring.
   */
  static final int BLOCKS_PER_SM = blocksPerSm(System.getProperty(Gemv.BLOCKS_PER_SM_PROPERTY));

  public static final String BLOCKS_PER_SM_PROPERTY = "barista.cuda.gemvBlocksPerSm";

  static int blocksPerSm(String value) {
    if (value == null || value.isBlank()) return 4;
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= 8) return n;
    } catch (NumberFormatException e) {
      // the message below
    }
    throw new IllegalArgumentException("-D" + BLOCKS_PER_SM_PROPERTY + " takes 1 to 8, not '" + value + "'");
  }

  /**
   * What the QKV epilogue needs, as qkv_prepare takes it (see {@link Kernels#qkvPrepare});
   * {@code counts} is one int per head, zero before the first launch (each launch leaves it so).
   */
  public record QkvPrepare(
      long bias, long qNorm, long kNorm, long positions, long invFreq, long slots, long kCache, long vCache,
      long counts, int nq, int nkv, int headDim) {}

  private static final int[] ENTRY_ROWS = {1, 2, 4, 8};
  private final int multiprocessors;
  private final Kernel[][][] entries = new Kernel[ENTRY_ROWS.length][Prologue.values().length][Epilogue.values().length];

  Gemv(CudaDriver driver) {
    multiprocessors = driver.attribute(DeviceAttribute.MULTIPROCESSOR_COUNT, driver.device(0));
    KernelModule module = KernelModule.load(driver, "gemv");
    for (int m = 0; m < ENTRY_ROWS.length; m++) {
      for (Prologue p : Prologue.values()) {
        for (Epilogue e : Epilogue.values()) {
          if (!exists(p, e)) continue;
          Kernel k = module.kernel("gemv_m" + ENTRY_ROWS[m] + "_" + p.entry + "_" + e.entry);
          k.allowSharedMemory(MAX_STAGED_BYTES); // beside the static shared memory
          entries[m][p.ordinal()][e.ordinal()] = k;
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
      case QKV -> true;
      case LOGITS -> p == Prologue.NORM;
    };
  }

  /**
   * Whether the QKV epilogue takes this head dim: a block's rows must lie in one head (the rows of
   * a block divide it) and a head must fit its per-warp buffer of 256 floats.
   */
  public static boolean supportsQkv(int headDim) {
    return headDim > 0 && headDim % WARPS == 0 && headDim <= 256;
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

  /** Row groups of a product: {@code WARPS / warpsPerRow} output rows each. */
  static int rowGroups(int out, int in) {
    int perBlock = WARPS / warpsPerRow(in);
    return (out + perBlock - 1) / perBlock;
  }

  /** Blocks of one launch: a row group each, at most {@link #BLOCKS_PER_SM} per multiprocessor. */
  static int blocks(int out, int in, int multiprocessors) {
    return Math.min(rowGroups(out, in), BLOCKS_PER_SM * multiprocessors);
  }

  /**
   * One launch. {@code out} is the number of outputs per token (for SILU the gate rows; W then has
   * 2 x out rows, gate first). COPY reads bf16 {@code x} [rows, in]; NORM reads the f32
   * {@code normResidual} [rows, in] with weights {@code normWeight}. STORE and SILU write bf16
   * {@code y} [rows, out]; RESIDUAL adds into the f32 {@code residual} [rows, out]; QKV stores
   * like STORE and then does {@code qkv}'s per-head work (null for the other epilogues); LOGITS
   * writes f32 {@code y} [rows, out].
   */
  void launch(
      Prologue p, Epilogue e, long w, int in, int out, long x, long normResidual, long normWeight, float eps,
      int rows, long y, long residual, QkvPrepare qkv, long stream, KernelArgs args) {
    if (!supports(rows, in) || !exists(p, e)) {
      throw new IllegalArgumentException("no gemv entry for " + rows + " rows of " + in + " inputs, " + p + "/" + e);
    }
    if ((e == Epilogue.QKV) != (qkv != null)) throw new IllegalArgumentException("the QKV epilogue, and only it, takes QKV arguments");
    if (qkv != null && (!supportsQkv(qkv.headDim()) || out != (qkv.nq() + 2 * qkv.nkv()) * qkv.headDim())) {
      throw new IllegalArgumentException("the QKV epilogue takes head dims that are multiples of 8 up to 256 over whole heads");
    }
    int m = entryRows(rows);
    int mi = Integer.numberOfTrailingZeros(m);
    args.reset().ptr(w).i32(in).i32(out).i32(warpsPerRow(in)).ptr(x).ptr(normResidual).ptr(normWeight).f32(eps)
        .i32(rows).ptr(y).ptr(residual);
    if (qkv == null) {
      args.ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).ptr(0).i32(0).i32(0).i32(0);
    } else {
      args.ptr(qkv.bias()).ptr(qkv.qNorm()).ptr(qkv.kNorm()).ptr(qkv.positions()).ptr(qkv.invFreq()).ptr(qkv.slots())
          .ptr(qkv.kCache()).ptr(qkv.vCache()).ptr(qkv.counts()).i32(qkv.nq()).i32(qkv.nkv()).i32(qkv.headDim());
    }
    entries[mi][p.ordinal()][e.ordinal()].launch(
        blocks(out, in, multiprocessors), 1, 1, WARPS * 32, stagedBytes(rows, in), stream, args);
  }
}

package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import java.lang.foreign.Arena;

/**
 * Launches of the tensor-core flash attention for prefill tokens (flash_attention.cu): one block per
 * query tile (see {@link PrefillTiles}) and query head, keys and values streamed through shared
 * memory from the paged cache. Takes head dims that are multiples of 8 up to 128, each run by the
 * entry of its padded class (16, 32, 64, 128); other shapes must use {@link Kernels#attention}.
 * On by default since an H100 run showed it correct and 13x faster than the paged kernel on prefill
 * (docs/benchmarks.md, 2026-11-23); {@value #PROPERTY}{@code =false} goes back to the paged kernel.
 * Not thread-safe: one per stream, like {@link Kernels}.
 */
public final class FlashAttention {
  /** System property switching flash prefill attention: {@code true} (default) or {@code false}. */
  public static final String PROPERTY = "barista.cuda.flashPrefill";
  /** Query rows (tokens) per block, as BQ in flash_attention.cu. */
  public static final int TILE_TOKENS = 64;
  /** Keys per shared-memory tile and padding per row, as BK and PAD in flash_attention.cu. */
  static final int KEY_TILE = 64;
  static final int ROW_PAD = 8;
  static final int THREADS = 128;
  static final int[] CLASSES = {16, 32, 64, 128};

  private final KernelArgs args;
  private final Kernel[] entries = new Kernel[CLASSES.length];

  public FlashAttention(CudaDriver driver, Arena arena) {
    args = new KernelArgs(arena);
    KernelModule module = KernelModule.load(driver, "flash_attention");
    for (int i = 0; i < CLASSES.length; i++) {
      entries[i] = module.kernel("flash_prefill_d" + CLASSES[i]);
      entries[i].allowSharedMemory(sharedBytes(CLASSES[i]));
    }
  }

  /**
   * Whether {@value #PROPERTY} asks for flash prefill: unset or {@code true} is on, {@code false}
   * off.
   *
   * @throws IllegalArgumentException for any other value (a typo must not silently pick a kernel)
   */
  public static boolean requested() {
    return parse(System.getProperty(PROPERTY));
  }

  static boolean parse(String value) {
    if (value == null || value.isBlank() || value.equals("true")) return true;
    if (value.equals("false")) return false;
    throw new IllegalArgumentException("-D" + PROPERTY + " takes true or false, not '" + value + "'");
  }

  /** Whether the kernel takes this head dim (the runner falls back to paged attention if not). */
  public static boolean supports(int headDim) {
    return headDim > 0 && headDim % 8 == 0 && headDim <= CLASSES[CLASSES.length - 1];
  }

  /** Index of the entry that runs {@code headDim}: the smallest class at least as wide. */
  static int classIndex(int headDim) {
    if (!supports(headDim)) {
      throw new IllegalArgumentException("flash attention takes head dims that are multiples of 8 up to 128, not " + headDim);
    }
    int i = 0;
    while (CLASSES[i] < headDim) i++;
    return i;
  }

  /** Dynamic shared memory of a class: two stages of a K and a V tile, rows padded. */
  static int sharedBytes(int dimClass) {
    return 2 * 2 * KEY_TILE * (dimClass + ROW_PAD) * 2;
  }

  /**
   * Attention of the tokens the tiles cover, written to their rows of {@code io.out()} (other rows
   * untouched). {@code tiles} is a device copy of {@link PrefillTiles#tiles()}, 16-byte aligned.
   * {@code io}'s split buffers are unused.
   */
  public void prefill(
      Kernels.AttentionIo io, long tiles, int numTiles, int blockSize, int nq, int nkv, int headDim,
      float scale, int window, long stream) {
    if (numTiles == 0) return;
    if (nq % nkv != 0) throw new IllegalArgumentException(nq + " query heads are not a multiple of " + nkv + " kv heads");
    if ((tiles & 15) != 0) throw new IllegalArgumentException("tile table must be 16-byte aligned");
    int c = classIndex(headDim);
    pack(args, io, tiles, blockSize, nq, nkv, headDim, scale, window);
    entries[c].launch(numTiles, nq, 1, THREADS, sharedBytes(CLASSES[c]), stream, args);
  }

  /** The kernel's parameters in the order of its signature (FLASH_ENTRY in flash_attention.cu). */
  static KernelArgs pack(
      KernelArgs args, Kernels.AttentionIo io, long tiles, int blockSize, int nq, int nkv, int headDim,
      float scale, int window) {
    return args.reset().ptr(io.q()).i32(io.qStride()).ptr(io.kCache()).ptr(io.vCache())
        .ptr(io.blockTables()).i32(io.blockTableStride()).ptr(tiles).ptr(io.positions())
        .i32(blockSize).i32(nq).i32(nkv).i32(headDim).f32(scale).i32(window).ptr(io.out()).i32(io.outStride());
  }

  /**
   * The same attention inputs and outputs seen from token {@code t} on: row 0 of the result is
   * row {@code t} of {@code io} (for a launch over a run of tokens in the middle of a step).
   */
  public static Kernels.AttentionIo fromToken(Kernels.AttentionIo io, int t) {
    return new Kernels.AttentionIo(io.q() + 2L * t * io.qStride(), io.qStride(), io.kCache(), io.vCache(),
        io.blockTables(), io.blockTableStride(), io.tokenSeq() + 4L * t, io.positions() + 4L * t,
        io.partAcc(), io.partMl(), io.out() + 2L * t * io.outStride(), io.outStride());
  }
}

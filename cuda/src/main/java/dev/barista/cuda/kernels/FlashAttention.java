package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import java.lang.foreign.Arena;

/**
 * Launches of the tensor-core flash attention for prefill tokens (flash_attention.cu): one block per
 * query tile (see {@link PrefillTiles}) and one or two query heads of a kv head, keys and values
 * streamed through shared memory from the paged cache. Takes head dims that are multiples of 8 up
 * to 128, each run by the entry of its padded class (16, 32, 64, 128); other shapes must use
 * {@link Kernels#attention}.
 * On by default since an H100 run showed it correct and 13x faster than the paged kernel on prefill
 * (docs/benchmarks.md, 2026-11-23); {@value #PROPERTY}{@code =false} goes back to the paged kernel.
 * Not thread-safe: one per stream, like {@link Kernels}.
 */
public final class FlashAttention {
  /** System property switching flash prefill attention: {@code true} (default) or {@code false}. */
  public static final String PROPERTY = "barista.cuda.flashPrefill";
  /**
   * System property for the query heads of one kv head that a block takes: {@code auto}
   * (default: 2 where the group has an even count of heads and the entry exists, else 1), {@code 1}
   * or {@code 2} (falling back to 1 where 2 cannot run), for comparing the two.
   */
  public static final String HEADS_PROPERTY = "barista.cuda.flashHeadsPerBlock";
  /** Query rows (tokens) per block, as BQ in flash_attention.cu. */
  public static final int TILE_TOKENS = 64;
  /** Keys per shared-memory tile and padding per row, as BK and PAD in flash_attention.cu. */
  static final int KEY_TILE = 64;
  static final int ROW_PAD = 8;
  static final int THREADS = 128;
  static final int[] CLASSES = {16, 32, 64, 128};
  /**
   * The most heads a block takes for each class: the entries flash_attention.cu has (a key tile's
   * 16-byte pieces must make whole rounds of the block's threads; 4 heads spilled registers).
   */
  static final int[] MAX_HEADS_PER_BLOCK = {1, 2, 2, 2};

  private final KernelArgs args;
  private final Kernel[][] entries = new Kernel[CLASSES.length][];
  private final int headsRequested;
  private float softcap;

  public FlashAttention(CudaDriver driver, Arena arena) {
    this(driver, arena, headsRequested());
  }

  /** @param headsRequested heads a block: 0 for auto, 1 or 2 (as {@value #HEADS_PROPERTY}) */
  public FlashAttention(CudaDriver driver, Arena arena, int headsRequested) {
    this.headsRequested = headsRequested;
    args = new KernelArgs(arena);
    KernelModule module = KernelModule.load(driver, "flash_attention");
    for (int i = 0; i < CLASSES.length; i++) {
      entries[i] = new Kernel[MAX_HEADS_PER_BLOCK[i]];
      for (int hb = 1; hb <= MAX_HEADS_PER_BLOCK[i]; hb++) {
        Kernel k = module.kernel(entryName(CLASSES[i], hb));
        k.allowSharedMemory(sharedBytes(CLASSES[i]));
        entries[i][hb - 1] = k;
      }
    }
  }

  /** The kernel entry of a head-dim class taking {@code headsPerBlock} heads a block. */
  static String entryName(int dimClass, int headsPerBlock) {
    return "flash_prefill_d" + dimClass + "_h" + headsPerBlock;
  }

  /** {@value #HEADS_PROPERTY} read: 0 for auto, else 1 or 2. */
  static int headsRequested() {
    return parseHeads(System.getProperty(HEADS_PROPERTY));
  }

  static int parseHeads(String value) {
    if (value == null || value.isBlank() || value.equals("auto")) return 0;
    if (value.equals("1") || value.equals("2")) return Integer.parseInt(value);
    throw new IllegalArgumentException("-D" + HEADS_PROPERTY + " takes auto, 1 or 2, not '" + value + "'");
  }

  /**
   * The heads a block takes for a head dim and a group of {@code group} query heads a kv head: 2
   * where the class has that entry and the group splits into pairs (unless 1 is asked for), else 1.
   */
  static int headsPerBlock(int headDim, int group, int requested) {
    int most = MAX_HEADS_PER_BLOCK[classIndex(headDim)];
    return (requested == 0 || requested == 2) && most >= 2 && group % 2 == 0 ? 2 : 1;
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
    int hb = headsPerBlock(headDim, nq / nkv, headsRequested);
    pack(args, io, tiles, blockSize, nq, nkv, headDim, scale, window, softcap);
    entries[c][hb - 1].launch(numTiles, nq / hb, 1, THREADS * hb, sharedBytes(CLASSES[c]), stream, args);
  }

  /** The kernel's parameters in the order of its signature (FLASH_ENTRY in flash_attention.cu). */
  static KernelArgs pack(
      KernelArgs args, Kernels.AttentionIo io, long tiles, int blockSize, int nq, int nkv, int headDim,
      float scale, int window, float softcap) {
    return args.reset().ptr(io.q()).i32(io.qStride()).ptr(io.kCache()).ptr(io.vCache())
        .ptr(io.blockTables()).i32(io.blockTableStride()).ptr(tiles).ptr(io.positions())
        .i32(blockSize).i32(nq).i32(nkv).i32(headDim).f32(scale).i32(window).ptr(io.out()).i32(io.outStride())
        .f32(softcap).ptr(io.sinks()).ptr(io.alibi());
  }

  /** The attention score cap for later launches (see {@link Kernels#attentionSoftcap}); 0 for none. */
  public void softcap(float cap) {
    this.softcap = cap;
  }

  /**
   * The same attention inputs and outputs seen from token {@code t} on: row 0 of the result is
   * row {@code t} of {@code io} (for a launch over a run of tokens in the middle of a step).
   */
  public static Kernels.AttentionIo fromToken(Kernels.AttentionIo io, int t) {
    return new Kernels.AttentionIo(io.q() + 2L * t * io.qStride(), io.qStride(), io.kCache(), io.vCache(),
        io.blockTables(), io.blockTableStride(), io.tokenSeq() + 4L * t, io.positions() + 4L * t,
        io.partAcc(), io.partMl(), io.out() + 2L * t * io.outStride(), io.outStride(), io.sinks(), io.alibi());
  }
}

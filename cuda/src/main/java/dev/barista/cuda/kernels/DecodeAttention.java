package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;

/**
 * Version 2 of paged attention (decode_attention.cu): the same launch shape, parameters and
 * results as version 1 (attention.cu), with keys and values streamed through a 3-stage cp.async
 * pipeline in shared memory and read once per kv head for its whole query group, to run decode
 * batches near memory bandwidth. Its splits are cut per token (see {@link #plan}), so it takes its
 * own plan and its own merge kernel. The default since an H100 run showed it correct and faster
 * (docs/benchmarks.md, 2026-11-23); {@value #PROPERTY}{@code =v1} goes back to version 1. While on,
 * {@link Kernels#attention} launches it for every head dim it takes (multiples of 8 up to 256) and
 * keeps version 1 for the others. Query groups of 3 or more heads with head dims up to 128 go to its
 * tensor-core variant (decode_mma_impl; {@value #MMA_PROPERTY}{@code =false} keeps them on the
 * CUDA-core kernel), which reads the cache near bandwidth where the CUDA-core kernel's per-head
 * dot products bound it to about half (Llama-3.1-8B's 4 query heads per kv head, docs/benchmarks.md).
 */
public final class DecodeAttention {
  /** System property choosing the paged attention kernel: {@code v2} (default) or {@code v1}. */
  public static final String PROPERTY = "barista.cuda.decodeAttention";
  /** System property: {@code false} keeps query groups of 3 or more heads off the tensor-core variant. */
  public static final String MMA_PROPERTY = "barista.cuda.decodeAttentionMma";
  /** Head-dim classes of the tensor-core entries (decode_attention_mma_d{DP}). */
  static final int[] MMA_CLASSES = {32, 64, 128};
  /** Keys per tile of the tensor-core entries (MMA_TK), the bf16 padding of a shared-memory row (MMA_PAD), their pipeline stages. */
  static final int MMA_TILE_KEYS = 64;
  static final int MMA_PAD = 8;
  static final int MMA_STAGES = 2;
  /** Padded head-dim classes of the entries, as DP in decode_attention.cu. */
  static final int[] CLASSES = {32, 64, 128, 256};
  static final int STAGES = 3;
  static final int THREADS = 128;

  /**
   * Least keys a split gets (two tiles): short splits only arise at small batches, where more
   * blocks in flight matter more than each block's pipeline filling up.
   */
  static final int MIN_PARTITION = 64;
  /**
   * Blocks a launch aims for per block that fills the GPU (the runner's target is 4 a
   * multiprocessor, so 8). 4 gave more, shorter splits: measured on an H100 (2026-11-24), 2 took a
   * batch-256 decode step of Llama-3.1-8B from 17.52 to 16.99 ms and of Qwen3-0.6B from 8.62 to
   * 8.23 ms, batch 64 of Llama-3.1-8B from 9.11 to 8.99 ms (1 split gave 17.07 ms).
   */
  static final int BLOCKS_PER_TARGET = 2;

  private final Kernel[][] entries = new Kernel[CLASSES.length][4]; // by dim class, then group class
  private final Kernel[] mmaEntries = new Kernel[MMA_CLASSES.length];
  private final Kernel combine;
  private final boolean mma = mmaRequested();

  public DecodeAttention(CudaDriver driver) {
    KernelModule module = KernelModule.load(driver, "decode_attention");
    for (int dc = 0; dc < CLASSES.length; dc++) {
      for (int gc = 0; gc < 4; gc++) {
        entries[dc][gc] = module.kernel("decode_attention_d" + CLASSES[dc] + "_g" + (1 << gc));
        entries[dc][gc].allowSharedMemory(sharedBytes(CLASSES[dc]));
        entries[dc][gc].preferSharedMemory(); // 4 blocks of 48 KiB per multiprocessor at head dim 128
      }
    }
    for (int i = 0; i < MMA_CLASSES.length; i++) {
      mmaEntries[i] = module.kernel("decode_attention_mma_d" + MMA_CLASSES[i]);
      mmaEntries[i].allowSharedMemory(mmaSharedBytes(MMA_CLASSES[i]));
      mmaEntries[i].preferSharedMemory();
    }
    combine = module.kernel("decode_attention_combine");
  }

  /** Whether {@value #MMA_PROPERTY} leaves the tensor-core variant on (unset or {@code true}). */
  static boolean mmaRequested() {
    return BooleanProperty.on(MMA_PROPERTY);
  }

  /**
   * Whether the tensor-core variant runs this shape: groups of 3 or more query heads (group class
   * 4 or 8; a group of 1 or 2 would leave most of the 16 mma rows empty) and head dims up to 128.
   */
  static boolean takesMma(int headDim, int groupClass) {
    return groupClass >= 2 && headDim <= MMA_CLASSES[MMA_CLASSES.length - 1];
  }

  /** Dynamic shared memory of a tensor-core entry: MMA_STAGES stages of a K and a V tile of padded bf16 rows. */
  static int mmaSharedBytes(int dimClass) {
    return MMA_STAGES * 2 * MMA_TILE_KEYS * (dimClass + MMA_PAD) * 2;
  }

  /**
   * How version 2 splits each token's keys: a split count only, since the kernel cuts every
   * token's own keys evenly into the splits (at least {@link #MIN_PARTITION} a split; the returned
   * partition is that floor). Enough splits for {@link #BLOCKS_PER_TARGET} x {@code targetBlocks}
   * blocks, as far as the longest context and the partial-result buffers allow. A plan made for a
   * longer context than the tokens have (a decode graph's) still keeps every split busy.
   */
  public static AttentionSplit plan(int maxContext, int tokens, int kvHeads, int targetBlocks, int maxSplits) {
    if (maxContext < 1 || tokens < 1 || kvHeads < 1 || maxSplits < 1) {
      throw new IllegalArgumentException(
          "bad attention shape: context " + maxContext + ", tokens " + tokens + ", kv heads " + kvHeads);
    }
    long perSplit = (long) tokens * kvHeads;
    long byWork = (BLOCKS_PER_TARGET * (long) targetBlocks + perSplit - 1) / perSplit;
    int byLength = (maxContext + MIN_PARTITION - 1) / MIN_PARTITION;
    int splits = (int) Math.max(1, Math.min(byWork, Math.min(byLength, maxSplits)));
    return new AttentionSplit(splits, MIN_PARTITION);
  }

  /**
   * Whether {@value #PROPERTY} asks for version 2: unset or {@code v2} is version 2, {@code v1}
   * version 1.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static boolean requested() {
    return parse(System.getProperty(PROPERTY));
  }

  static boolean parse(String value) {
    if (value == null || value.isBlank() || value.equals("v2")) return true;
    if (value.equals("v1")) return false;
    throw new IllegalArgumentException("-D" + PROPERTY + " takes v1 or v2, not '" + value + "'");
  }

  /** Whether version 2 takes this head dim. */
  public static boolean supports(int headDim) {
    return headDim > 0 && headDim % 8 == 0 && headDim <= CLASSES[CLASSES.length - 1];
  }

  /** Index of the entry class that runs {@code headDim}: the smallest class at least as wide. */
  static int classIndex(int headDim) {
    if (!supports(headDim)) {
      throw new IllegalArgumentException("decode attention v2 takes head dims that are multiples of 8 up to 256, not " + headDim);
    }
    int i = 0;
    while (CLASSES[i] < headDim) i++;
    return i;
  }

  /** Keys per shared-memory tile of a dim class, as tile_keys() in decode_attention.cu. */
  static int tileKeys(int dimClass) {
    return dimClass >= 256 ? 16 : 32;
  }

  /** Dynamic shared memory of a dim class: STAGES stages of a K and a V tile of bf16 rows. */
  static int sharedBytes(int dimClass) {
    return STAGES * 2 * tileKeys(dimClass) * dimClass * 2;
  }

  /** Launches the entry for this head dim and query group class with paged_attention's arguments. */
  void launch(int headDim, int groupClass, int tokens, int nkv, int splits, long stream, KernelArgs args) {
    int c = classIndex(headDim);
    if (mma && takesMma(headDim, groupClass)) {
      // the tensor-core classes are CLASSES' first three
      mmaEntries[c].launch(tokens, nkv, splits, THREADS, mmaSharedBytes(MMA_CLASSES[c]), stream, args);
      return;
    }
    entries[c][groupClass].launch(tokens, nkv, splits, THREADS, sharedBytes(CLASSES[c]), stream, args);
  }

  /** The merge of version 2's splits (attention_combine's parameters, splits cut per token). */
  Kernel combine() {
    return combine;
  }
}

package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.DeviceAttribute;

/**
 * Every decoder layer of a one-token decode step in one persistent launch (decode_persistent.cu,
 * sm_90 and newer): one block per multiprocessor walks the layers' phases (QKV, attention, O,
 * gate/up, down) between grid-wide barriers, while a producer warp per block streams that block's
 * rows of every weight matrix through a shared-memory ring ahead of the consumers. The constants
 * and the tile arithmetic here mirror the kernel's, so that the host can size shared memory and
 * tell which models the kernel takes.
 */
public final class PersistentDecode {
  static final int CONSUMER_WARPS = 16;
  static final int THREADS = CONSUMER_WARPS * 32 + 64;
  static final int MAX_STAGES = 8;
  static final int SLOT_BYTES = 32 << 10;
  static final int MAX_TILE_ROWS = 16;
  /** Room left for the kernel's static shared memory (the phase sums, 8 KiB, the layer table, mbarriers, the warps' tasks). */
  static final int STATIC_SHARED_BYTES = 14 << 10;
  static final int MAX_LAYERS = 48;
  static final int MAX_OWN_ROWS = 64;
  /**
   * Most one-token sequences a launch takes: entries for 1 token (every head dim and group) and for
   * 2 (head dims 65-128 with 2-4 query heads a kv head, up to 32 with 1-4: {@link #hasEntry}).
   * Measured on an H100 (2026-11-24, batch-2 decode steps, GPU time): Qwen3-0.6B 0.992 ms against
   * 1.166 through the fused GEMV kernels, Llama-3.1-8B 5.909 against 6.367 through cuBLAS. Entries
   * for 4 were slower than cuBLAS (Qwen3-0.6B 1.996 against 1.476 ms): each token then gets a
   * quarter of the attention chunks, so each block's item covers 4 times the keys (docs/benchmarks.md,
   * session 11).
   */
  public static final int MAX_TOKENS = 2;
  /** 8-byte slots of the kernel's Params struct: the arguments {@link #launch} packs, in order. */
  static final int PARAM_SLOTS = 36;
  static final int MAX_PHASE_SUMS = 2048;
  static final int NORM_PER_THREAD = 8;
  /** {@code -D}{@value}{@code =false} streams every layer's weights freely (see {@link #gatedStream}). */
  public static final String GATED_STREAM_PROPERTY = "barista.cuda.persistentGatedStream";
  /** Clock stamps per layer and values after them per block in a trace (see decode_persistent.cu's Params). */
  public static final int TRACE_POINTS = 22;

  public static final int TRACE_EXTRA = 6;
  /** Pointers per layer in the table the kernel reads (LayerPtrs). */
  public static final int LAYER_POINTERS = 11;

  /** The model dimensions the kernel's work depends on. */
  public record Shape(int layers, int hidden, int numHeads, int numKvHeads, int headDim, int intermediate) {
    int group() {
      return numHeads / numKvHeads;
    }

    int qDim() {
      return numHeads * headDim;
    }

    int qkvDim() {
      return (numHeads + 2 * numKvHeads) * headDim;
    }
  }

  private final CudaDriver driver;
  private final int multiprocessors;
  private final int maxSharedBytes;
  private final boolean gating = BooleanProperty.on(GATED_STREAM_PROPERTY);
  private final KernelModule module;
  private final Kernel[][][] entries = new Kernel[3][4][4]; // by tokens (1, 2, 4), lane dims (1, 2, 4, 8), group class (1, 2, 4, 8)

  PersistentDecode(CudaDriver driver) {
    this.driver = driver;
    int dev = driver.device(0);
    int all = driver.attribute(DeviceAttribute.MULTIPROCESSOR_COUNT, dev);
    // a measurement switch: fewer blocks than multiprocessors (fewer barrier arrivals and attention
    // chunks, less of the GPU's bandwidth)
    this.multiprocessors = Math.max(1, Math.min(all, Integer.getInteger("barista.cuda.persistentBlocks", all)));
    this.maxSharedBytes = driver.attribute(DeviceAttribute.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN, dev);
    this.module = KernelModule.load(driver, "decode_persistent");
  }

  /** Blocks of a launch: one per multiprocessor, so that all are resident for the barriers. */
  public int blocks() {
    return multiprocessors;
  }

  /** Whether this GPU runs the kernel for a model of this shape (one token a launch). */
  public boolean supports(Shape s) {
    return supports(s, 1);
  }

  /** Whether this GPU runs the kernel for a model of this shape with {@code tokens} sequences a launch. */
  public boolean supports(Shape s, int tokens) {
    return driver.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR, driver.device(0)) >= 9
        && supports(s, tokens, maxSharedBytes, multiprocessors);
  }

  /**
   * Whether the kernel takes this shape on {@code blocks} blocks within {@code maxSharedBytes} of
   * shared memory per block: inputs in whole 16-byte pieces (for the bulk copies), a hidden size
   * the norm keeps in registers, a head dim of at most 256 split evenly over the lanes, at most 8
   * query heads per kv head, one output row (a gate/up pair) within a ring slot, each block's
   * partial sums within its buffer, and a ring of at least two slots.
   */
  static boolean supports(Shape s, int maxSharedBytes, int blocks) {
    return supports(s, 1, maxSharedBytes, blocks);
  }

  /**
   * As above for {@code tokens} one-token sequences a launch: 1, or 2 where there is an entry,
   * where each token's merge counts fit the counts buffer's first nq + 2 nkv ints and every
   * phase's partial sums fit for all tokens at once.
   */
  static boolean supports(Shape s, int tokens, int maxSharedBytes, int blocks) {
    if (!hasEntry(s, tokens) || (long) tokens * s.numKvHeads() > s.numHeads() + 2L * s.numKvHeads()) return false;
    if (s.numHeads() <= 0 || s.numKvHeads() <= 0 || s.numHeads() % s.numKvHeads() != 0 || s.group() > 8) return false;
    int d = s.headDim();
    if (d <= 0 || d > 256 || d % 2 != 0 || d % laneDims(d) != 0) return false;
    for (int in : new int[] {s.hidden(), s.qDim(), s.intermediate()}) if (in <= 0 || in % 8 != 0) return false;
    if (s.hidden() > NORM_PER_THREAD * CONSUMER_WARPS * 32 || s.layers() > MAX_LAYERS) return false;
    if ((s.hidden() + blocks - 1) / blocks > MAX_OWN_ROWS) return false;
    int[][] phases = {{s.hidden(), s.qkvDim(), 1}, {s.qDim(), s.hidden(), 1}, {s.hidden(), s.intermediate(), 2},
        {s.intermediate(), s.hidden(), 1}};
    for (int[] ph : phases) {
      int in = ph[0], out = ph[1], mats = ph[2];
      if (2L * in * mats > SLOT_BYTES) return false;
      int u = tileUnits(in, mats), warpsPerRow = CONSUMER_WARPS / (u * mats);
      if ((long) ((out + blocks - 1) / blocks) * mats * warpsPerRow * tokens > MAX_PHASE_SUMS) return false;
    }
    return stages(s, tokens, maxSharedBytes) >= 2;
  }

  /** Whether decode_persistent.cu has an entry for this shape's head dim and group with this many tokens. */
  static boolean hasEntry(Shape s, int tokens) {
    if (tokens == 1) return true;
    if (tokens != MAX_TOKENS) return false;
    int dl = laneDims(s.headDim()), gc = groupClass(s.group());
    return (dl == 1 && gc <= 4) || (dl == 4 && (gc == 2 || gc == 4));
  }

  /** Whether the kernel takes KV cache blocks of this many tokens: powers of two (it finds a key's row by shifts). */
  public static boolean takesBlockSize(int blockSize) {
    return blockSize > 0 && Integer.bitCount(blockSize) == 1;
  }

  /** Ring slots that fit beside the scratch and the static shared memory (at most {@link #MAX_STAGES}). */
  static int stages(Shape s, int maxSharedBytes) {
    return stages(s, 1, maxSharedBytes);
  }

  static int stages(Shape s, int tokens, int maxSharedBytes) {
    return Math.min(MAX_STAGES, (maxSharedBytes - STATIC_SHARED_BYTES - scratchBytes(s, tokens)) / SLOT_BYTES);
  }

  /**
   * Layer weight bytes from which {@code auto} takes the persistent kernel. Measured on an H100
   * (2026-11-24, batch-1 decode, both paths in one call, the final kernel): as fast as the fused
   * GEMV kernels for Qwen3-0.6B (31 MB a layer; 1.6% less GPU time a step, tokens/s within the
   * noise), 8% faster for a Qwen3-1.7B shape (101 MB), 14% faster for Qwen3-8B and Llama-3.1-8B
   * (386 and 436 MB). Below 16 MiB only the tiny test models were run through it (checks, not
   * timings), so they keep the fused kernels. See docs/benchmarks.md.
   */
  public static final long AUTO_MIN_LAYER_BYTES = 16L << 20;

  /**
   * Layers below this many weight bytes get a gated weight stream (decode_persistent.cu's {@code
   * stream_gated}: one tile in flight, none issued while the blocks exchange results), where their
   * chain of exchanges, not their bytes, sets a step's time. Measured on an H100 (2026-11-24,
   * Qwen3-0.6B, 31.5 MB a layer, GPU time of a step, same calls): gated 0.980-0.984 ms; a steady
   * pace instead (one tile a KiB per so many cycles, a layer over 24 us) 1.003-1.013; unpaced
   * 1.083-1.105 (docs/benchmarks.md). The bound is where a layer needs 2.6 TB/s over those 24 us
   * (62 MB): larger layers (8B models, a Qwen3-1.7B shape at 101 MB) need the full bandwidth and
   * stream freely.
   */
  static final long GATED_BELOW_LAYER_BYTES = 62_000_000L;

  /**
   * Whether this shape's weight stream is gated: layers from the size {@code auto} takes the kernel
   * for (gating was measured on 31.5 MB layers only; the tiny test models stream freely) to {@link
   * #GATED_BELOW_LAYER_BYTES}.
   */
  static boolean gatedStream(Shape s) {
    return prefers(s) && layerWeightBytes(s) < GATED_BELOW_LAYER_BYTES;
  }

  /** bf16 bytes of one layer's projection weights (QKV, O, gate/up, down). */
  public static long layerWeightBytes(Shape s) {
    return 2L * s.hidden() * (s.qkvDim() + s.qDim() + 3L * s.intermediate());
  }

  /** Whether {@code auto} takes the persistent kernel for this shape (where it is supported). */
  public static boolean prefers(Shape s) {
    return layerWeightBytes(s) >= AUTO_MIN_LAYER_BYTES;
  }

  /**
   * Whether the kernel can end with the final norm and the LM head over {@code vocab} rows (its
   * last phase, whose first tiles stream during the last layer) on this GPU's blocks: each block's
   * rows' partial sums must fit its buffer. Otherwise the runner launches them itself.
   */
  public boolean takesLmHead(Shape s, int vocab) {
    return takesLmHead(s, vocab, multiprocessors);
  }

  static boolean takesLmHead(Shape s, int vocab, int blocks) {
    int warpsPerRow = CONSUMER_WARPS / tileUnits(s.hidden(), 1);
    return vocab > 0 && (long) ((vocab + blocks - 1) / blocks) * warpsPerRow <= MAX_PHASE_SUMS;
  }

  /** Head dims per lane: the least of 1, 2, 4, 8 with 32 of them covering the head. */
  static int laneDims(int headDim) {
    int dl = 1;
    while (dl < 8 && 32 * dl < headDim) dl *= 2;
    return dl;
  }

  /** The entry's group class: the least power of two that holds the query heads of a kv head. */
  static int groupClass(int group) {
    int g = 1;
    while (g < group) g *= 2;
    return g;
  }

  /** Output units (rows, or gate/up row pairs for mats 2) of one ring slot, as tile_units(). */
  static int tileUnits(int in, int mats) {
    int unitBytes = in * 2 * mats;
    int u = MAX_TILE_ROWS / mats;
    while (u > 1 && (long) u * unitBytes > SLOT_BYTES) u >>= 1;
    return u;
  }

  /** Block b's output rows [from, to) of a matrix of {@code out} rows, as block_rows(). */
  static int[] blockRows(int out, int blocks, int b) {
    return new int[] {(int) ((long) b * out / blocks), (int) ((long) (b + 1) * out / blocks)};
  }

  /**
   * Shared memory of the attention phase: q heads, the newest k and v, per-warp partial outputs and
   * (max, sum), the heads' staged inputs (q and k norm weights, the rotary cos and sin), each
   * head's merged (max, sum).
   */
  static int attentionScratchBytes(Shape s) {
    int g = s.group(), d = s.headDim();
    return 4 * (g * d + 2 * d + CONSUMER_WARPS * g * d + CONSUMER_WARPS * g * 2 + 2 * d + 2 * g);
  }

  /** Shared memory after the ring: every token's staged input or the attention scratch, whichever is larger. */
  static int scratchBytes(Shape s) {
    return scratchBytes(s, 1);
  }

  static int scratchBytes(Shape s, int tokens) {
    int staged = 2 * tokens * Math.max(s.hidden(), Math.max(s.qDim(), s.intermediate()));
    return (Math.max(staged, attentionScratchBytes(s)) + 15) / 16 * 16;
  }

  /** Dynamic shared memory of a launch with {@code stages} ring slots. */
  static int sharedBytes(Shape s, int stages) {
    return sharedBytes(s, 1, stages);
  }

  static int sharedBytes(Shape s, int tokens, int stages) {
    return stages * SLOT_BYTES + scratchBytes(s, tokens);
  }

  /**
   * Most chunks the attention phase cuts a context into: enough for one (kv head, chunk) item per
   * block, within the partial-result rows the runner has ({@code partialRows} rows of head dim).
   */
  public int maxChunks(Shape s, int partialRows) {
    return maxChunks(s, partialRows, 1);
  }

  /** As above with {@code tokens} sequences a launch: their items share the blocks and the partial rows. */
  public int maxChunks(Shape s, int partialRows, int tokens) {
    return Math.max(1, Math.min(multiprocessors / (tokens * s.numKvHeads()), partialRows / (tokens * s.numHeads())));
  }

  /**
   * The layer table as the kernel reads it: per layer its input norm, QKV weight, QKV bias, q norm,
   * k norm, O weight, post-attention norm, gate/up weight, down weight, key cache, value cache
   * (0 for an absent bias or norm), each pointer as two little-endian ints, ready for upload.
   */
  public static int[] layerTable(long[][] layers) {
    int[] out = new int[layers.length * LAYER_POINTERS * 2];
    int i = 0;
    for (long[] layer : layers) {
      if (layer.length != LAYER_POINTERS) throw new IllegalArgumentException("a layer has " + LAYER_POINTERS + " pointers, not " + layer.length);
      for (long ptr : layer) {
        out[i++] = (int) ptr;
        out[i++] = (int) (ptr >>> 32);
      }
    }
    return out;
  }

  private Kernel entry(Shape s, int tokens) {
    int dl = Integer.numberOfTrailingZeros(laneDims(s.headDim()));
    int gc = Integer.numberOfTrailingZeros(groupClass(s.group()));
    int tc = Integer.numberOfTrailingZeros(tokens);
    Kernel k = entries[tc][dl][gc];
    if (k == null) {
      k = module.kernel(entryName(s, tokens));
      k.allowSharedMemory(maxSharedBytes - STATIC_SHARED_BYTES);
      entries[tc][dl][gc] = k;
    }
    return k;
  }

  /** The kernel entry of this shape and token count, as decode_persistent.cu names them. */
  static String entryName(Shape s, int tokens) {
    String name = "decode_layers_d" + (32 * laneDims(s.headDim())) + "_g" + groupClass(s.group());
    return tokens == 1 ? name : name + "_t" + tokens;
  }

  /**
   * Where one step's inputs and activations are (device pointers; see decode_persistent.cu's Params).
   * {@code greedy} (0: off; only with {@code lmHead}): an 8-byte word the launch zeroes and leaves
   * the logits' argmax in, for {@link Kernels#sampleRowsFull}.
   */
  public record Buffers(
      long embedding, long ids, long residual, long qkvWords, long attention, long act, long positions, long slots,
      long tokenSeq, long blockTables, int blockTableStride, long invFreq, long partAcc, long partMl,
      long counts, long barrier, long trace, long lmHead, long finalNorm, long logits, int vocab, long greedy) {}

  /**
   * One launch over {@code layers} layers whose pointers are in {@code layerTable} (device memory,
   * {@link #LAYER_POINTERS} per layer) for {@code tokens} one-token sequences (token t's inputs,
   * residual, QKV words and activations at row t; with more than one, no LM head in the launch).
   */
  void launch(Shape s, int tokens, long layerTable, int layers, float eps, float scale, int window, int blockSize, int maxChunks,
      Buffers b, long stream, KernelArgs args) {
    if (!supports(s, tokens, maxSharedBytes, multiprocessors)) {
      throw new IllegalArgumentException("the persistent decode kernel does not take " + s + " with " + tokens + " tokens");
    }
    if (tokens > 1 && (b.lmHead() != 0 || b.greedy() != 0)) {
      throw new IllegalArgumentException("a launch of " + tokens + " tokens leaves the LM head to the runner");
    }
    if (!takesBlockSize(blockSize)) {
      throw new IllegalArgumentException("the persistent decode kernel takes power-of-two cache blocks, not " + blockSize);
    }
    int stages = stages(s, tokens, maxSharedBytes);
    args.reset().ptr(layerTable).i32(layers).i32(s.hidden()).i32(s.numHeads()).i32(s.numKvHeads()).i32(s.headDim())
        .i32(s.intermediate()).f32(eps).f32(scale).i32(window).i32(Integer.numberOfTrailingZeros(blockSize)).i32(b.blockTableStride()).i32(maxChunks)
        .i32(stages).i32(gating && gatedStream(s) ? 1 : 0)
        .ptr(b.embedding()).ptr(b.ids()).ptr(b.residual()).ptr(b.qkvWords()).ptr(b.attention()).ptr(b.act()).ptr(b.positions())
        .ptr(b.slots()).ptr(b.tokenSeq()).ptr(b.blockTables()).ptr(b.invFreq()).ptr(b.partAcc()).ptr(b.partMl())
        .ptr(b.counts()).ptr(b.barrier()).ptr(b.trace())
        .ptr(b.lmHead()).ptr(b.finalNorm()).ptr(b.logits()).i32(b.vocab()).ptr(b.greedy());
    if (args.count() != PARAM_SLOTS) throw new IllegalStateException("packed " + args.count() + " of " + PARAM_SLOTS + " Params slots");
    entry(s, tokens).launch(multiprocessors, 1, 1, THREADS, sharedBytes(s, tokens, stages), stream, args);
  }
}

package dev.barista.cuda.kernels;

import dev.barista.engine.config.Activation;

import dev.barista.cuda.driver.CudaDriver;
import java.lang.foreign.Arena;

/**
 * Typed launches of Barista's CUDA kernels (sources in cuda/src/main/cuda). Pointers are device
 * addresses; 0 passes nullptr for optional inputs. All launches go to the given stream. One
 * instance per stream (its argument buffer is reused by every launch).
 */
public final class Kernels {
  private final CudaDriver driver;
  private final KernelArgs args;
  private final Kernel embedding;
  private final Kernel actMul;
  private float attentionSoftcap;
  private final Kernel softcap;
  private final Kernel clamp;
  private Kernel latentAssemble; // loaded on first use (latent-attention models only)
  private final Kernel fillUniform;
  private final Kernel addRmsNorm;
  private final Kernel rmsNormStrided;
  private final Kernel qkvPrepare;
  private final Kernel[][] attention; // by head-dim class (32, 64, 128, 256), then group class (1, 2, 4, 8)
  private final Kernel attentionCombine;
  private DecodeAttention decodeV2; // loaded when first turned on
  private boolean useDecodeV2;
  private final Kernel argmax;
  private final Kernel sampleRows;
  private final Kernel sampleRowsFull;
  private final Kernel penaltyUpdate;
  private final Kernel biasFill;
  private final Kernel biasSet;
  private final Kernel rowLogprobs;
  private final Kernel addBias;
  private final Kernel addBiasF32;
  private Gemv gemv; // loaded on first use (bf16 only)
  private PersistentDecode persistent; // loaded on first use (bf16 only)

  private final boolean f32;

  /** The bf16 kernels. */
  public Kernels(CudaDriver driver, Arena arena) {
    this(driver, arena, false);
  }

  /**
   * @param f32 the kernels of the f32 math mode: weights, activations and KV cache in float
   *     (entries ending in _f32); else bf16. Logits and sampling are f32 in both.
   */
  public Kernels(CudaDriver driver, Arena arena, boolean f32) {
    this.driver = driver;
    this.f32 = f32;
    String sfx = f32 ? "_f32" : "";
    args = new KernelArgs(arena);
    KernelModule elementwise = KernelModule.load(driver, "elementwise");
    embedding = elementwise.kernel("embedding" + sfx);
    actMul = elementwise.kernel("act_mul" + sfx);
    softcap = elementwise.kernel("softcap_f32");
    clamp = elementwise.kernel("clamp" + sfx);
    fillUniform = elementwise.kernel("fill_uniform" + sfx);
    KernelModule norm = KernelModule.load(driver, "norm");
    addRmsNorm = norm.kernel("add_rmsnorm" + sfx);
    rmsNormStrided = norm.kernel("rmsnorm_strided" + sfx);
    qkvPrepare = KernelModule.load(driver, "qkv_prepare").kernel("qkv_prepare" + sfx);
    KernelModule att = KernelModule.load(driver, "attention");
    attention = new Kernel[4][4];
    for (int dc = 0; dc < 4; dc++) {
      for (int gc = 0; gc < 4; gc++) {
        attention[dc][gc] = att.kernel("paged_attention_d" + (32 << dc) + "_g" + (1 << gc) + sfx);
      }
    }
    attentionCombine = att.kernel("attention_combine" + sfx);
    KernelModule sampling = KernelModule.load(driver, "sampling");
    argmax = sampling.kernel("argmax_rows");
    sampleRows = sampling.kernel("sample_rows");
    KernelModule samplingFull = KernelModule.load(driver, "sampling_full");
    sampleRowsFull = samplingFull.kernel("sample_rows_full");
    penaltyUpdate = samplingFull.kernel("penalty_update");
    biasFill = samplingFull.kernel("bias_fill");
    biasSet = samplingFull.kernel("bias_set");
    rowLogprobs = KernelModule.load(driver, "logprobs").kernel("row_logprobs");
    addBias = elementwise.kernel("add_bias" + sfx);
    addBiasF32 = elementwise.kernel("add_bias_f32");
  }

  /** Whether these are the f32 kernels. */
  public boolean f32() {
    return f32;
  }

  /** Bytes of one weight, activation or KV-cache element for these kernels. */
  public int elementBytes() {
    return f32 ? 4 : 2;
  }

  /** The widest head dimension the attention kernels take. */
  public static final int MAX_HEAD_DIM = 256;

  /** The MLP activations activation.cuh implements (by ordinal); others must not reach act_mul or moe_gemm. */
  public static final java.util.Set<Activation> ACTIVATIONS =
      java.util.EnumSet.of(Activation.SILU, Activation.GELU_TANH, Activation.GELU, Activation.RELU, Activation.RELU2);

  public void embedding(long ids, long table, long out, int tokens, int hidden, long stream) {
    embedding(ids, table, out, tokens, hidden, 0, 0, 0, stream);
  }

  /** Token rows plus learned position rows {@code positions[t] + offset} of {@code positionTable} (0: none). */
  public void embedding(long ids, long table, long out, int tokens, int hidden, long positionTable, long positions,
      int offset, long stream) {
    args.reset().ptr(ids).ptr(table).ptr(out).i32(hidden).ptr(positionTable).ptr(positions).i32(offset);
    embedding.launch(tokens, 1, 1, 256, 0, stream, args);
  }

  /** out = act(gate) * up over [tokens, 2 * inter] gate/up rows (see elementwise.cu). */
  public void actMul(long gateUp, long out, int tokens, int inter, Activation activation, long stream) {
    actMul(gateUp, out, tokens, inter, activation, true, stream);
  }

  /** As above; ungated ({@code gated} false: OPT, GPT-2), the rows are [tokens, inter] and out = act(in). */
  public void actMul(long gateUp, long out, int tokens, int inter, Activation activation, boolean gated, long stream) {
    args.reset().ptr(gateUp).ptr(out).i32(inter).i32(activation.ordinal()).i32(gated ? 1 : 0);
    actMul.launch(ceilDiv(inter, 8 * 256), tokens, 1, 256, 0, stream, args); // 8 elements a thread (see elementwise.cu)
  }

  /**
   * DeepSeek's latent attention as standard QKV rows (latent.cu): from q [tokens, heads, nope +
   * rope], kv [tokens, heads, nope + vDim] and the shared kRope [tokens, rope] into qkv [tokens,
   * 3 heads, nope + rope], each head's rotary part first and its value zero-padded.
   */
  public void latentAssemble(long q, long kv, long kRope, long qkv, int tokens, int heads, int nope, int rope, int vDim,
      long stream) {
    if (vDim > nope + rope) throw new IllegalArgumentException("value heads of " + vDim + " exceed key heads of " + (nope + rope));
    if (latentAssemble == null) latentAssemble = KernelModule.load(driver, "latent").kernel("latent_assemble" + (f32 ? "_f32" : ""));
    args.reset().ptr(q).ptr(kv).ptr(kRope).ptr(qkv).i32(heads).i32(nope).i32(rope).i32(vDim);
    latentAssemble.launch(tokens, heads, 1, 64, 0, stream, args);
  }

  /** x = min(max(x, -limit), limit) over {@code count} elements (OLMo's clip_qkv). */
  public void clamp(long x, long count, float limit, long stream) {
    args.reset().ptr(x).ptr(count).f32(limit);
    clamp.launch((int) Math.min(4096, Math.max(1, ceilDiv(count, 256))), 1, 1, 256, 0, stream, args);
  }

  /** x = cap * tanh(x / cap) over {@code count} f32 values (Gemma 2's final logits). */
  public void softcap(long x, long count, float cap, long stream) {
    args.reset().ptr(x).ptr(count).f32(cap);
    softcap.launch((int) Math.min(4096, Math.max(1, ceilDiv(count, 256))), 1, 1, 256, 0, stream, args);
  }

  public void fillUniform(long out, long count, int seed, float scale, long stream) {
    args.reset().ptr(out).ptr(count).i32(seed).f32(scale);
    int blocks = (int) Math.min(4096, Math.max(1, ceilDiv(count, 256)));
    fillUniform.launch(blocks, 1, 1, 256, 0, stream, args);
  }

  /**
   * Residual add (into the f32 {@code residual}) and RMSNorm of {@code outRows} rows (see norm.cu);
   * {@code rows} (or 0) picks the
   * input row of each output row.
   */
  public void addRmsNorm(
      long x, long residual, long out, long weight, long rows, int outRows, int hidden, float eps,
      boolean addResidual, boolean writeResidual, long stream) {
    addNorm(x, residual, out, weight, 0, rows, outRows, hidden, eps, addResidual, writeResidual, stream);
  }

  /**
   * RMSNorm in place of {@code width} elements at the start of each of {@code rows} rows {@code
   * stride} elements apart (OLMo 2's q/k norms over the q or k part of QKV rows).
   */
  public void rmsNormStrided(long x, int rows, int stride, int width, long weight, float eps, long stream) {
    args.reset().ptr(x).i32(stride).i32(width).ptr(weight).f32(eps);
    rmsNormStrided.launch(rows, 1, 1, Math.min(1024, roundUp(width, 32)), 0, stream, args);
  }

  /**
   * As {@link #addRmsNorm}; with a {@code bias} (not 0), LayerNorm instead of RMSNorm (OPT, GPT-2);
   * without a {@code weight} (0), no norm: out is the residual sum (OLMo 2).
   */
  public void addNorm(
      long x, long residual, long out, long weight, long bias, long rows, int outRows, int hidden, float eps,
      boolean addResidual, boolean writeResidual, long stream) {
    args.reset().ptr(x).ptr(residual).ptr(out).ptr(weight).ptr(rows).i32(hidden).f32(eps)
        .i32(addResidual ? 1 : 0).i32(writeResidual ? 1 : 0).ptr(bias);
    // 8 elements a thread where the kernel can load 16 bytes at once (its loops stride, so any count works)
    addRmsNorm.launch(outRows, 1, 1, Math.min(1024, roundUp(ceilDiv(hidden, 8), 32)), hidden * 4, stream, args);
  }

  /** Bias, q/k norm, RoPE and the KV-cache write after the QKV projection (see qkv_prepare.cu). */
  public void qkvPrepare(
      long qkv, long bias, long qNorm, long kNorm, float eps, long positions, long invFreq,
      long slots, long kCache, long vCache, int tokens, int nq, int nkv, int headDim, long stream) {
    qkvPrepare(qkv, bias, qNorm, kNorm, eps, positions, invFreq, slots, kCache, vCache, tokens, nq, nkv, headDim, false,
        stream);
  }

  /** As above; {@code normAfterRope}: the q/k norms apply to the rotated heads (HunYuan). */
  public void qkvPrepare(
      long qkv, long bias, long qNorm, long kNorm, float eps, long positions, long invFreq,
      long slots, long kCache, long vCache, int tokens, int nq, int nkv, int headDim, boolean normAfterRope,
      long stream) {
    qkvPrepare(qkv, bias, qNorm, kNorm, eps, positions, invFreq, slots, kCache, vCache, tokens, nq, nkv, headDim,
        normAfterRope, 0, 0, stream);
  }

  /**
   * As above; a positive {@code temperatureFloor} scales the queries of position p by
   * log(floor((p + 1) / temperatureFloor) + 1) * temperatureScale + 1 (Llama 4's attention
   * temperature on its layers without RoPE).
   */
  public void qkvPrepare(
      long qkv, long bias, long qNorm, long kNorm, float eps, long positions, long invFreq,
      long slots, long kCache, long vCache, int tokens, int nq, int nkv, int headDim, boolean normAfterRope,
      float temperatureFloor, float temperatureScale, long stream) {
    args.reset().ptr(qkv).ptr(bias).ptr(qNorm).ptr(kNorm).f32(eps).ptr(positions).ptr(invFreq)
        .ptr(slots).ptr(kCache).ptr(vCache).i32(nq).i32(nkv).i32(headDim).i32(normAfterRope ? 1 : 0)
        .f32(temperatureFloor).f32(temperatureScale);
    qkvPrepare.launch(tokens, ceilDiv(nq + nkv, 4), 1, 128, 0, stream, args);
  }

  /**
   * What one attention launch reads and writes; {@code sinks}: f32 sink logits per query head
   * (GPT-OSS), {@code alibi}: f32 ALiBi slopes per query head in units of scaled scores (Bloom,
   * MPT, Falcon-RW); 0 for none.
   */
  public record AttentionIo(
      long q, int qStride, long kCache, long vCache, long blockTables, int blockTableStride,
      long tokenSeq, long positions, long partAcc, long partMl, long out, int outStride, long sinks, long alibi) {
    /** Without attention sinks or ALiBi. */
    public AttentionIo(long q, int qStride, long kCache, long vCache, long blockTables, int blockTableStride,
        long tokenSeq, long positions, long partAcc, long partMl, long out, int outStride) {
      this(q, qStride, kCache, vCache, blockTables, blockTableStride, tokenSeq, positions, partAcc, partMl, out,
          outStride, 0, 0);
    }
  }

  /**
   * Chooses the paged attention kernel of the next {@link #attention} launches: version 2
   * (decode_attention.cu, see {@link DecodeAttention}) or version 1 (attention.cu). Head dims
   * version 2 does not take stay on version 1. Launches already captured in a CUDA graph keep the
   * kernel they were captured with.
   */
  public void decodeAttentionV2(boolean on) {
    if (on && decodeV2 == null) decodeV2 = new DecodeAttention(driver);
    useDecodeV2 = on;
  }

  /** Whether {@link #attention} launches version 2 (for head dims it takes). */
  public boolean decodeAttentionV2() {
    return useDecodeV2;
  }

  /** Whether {@link #attention} runs version 2 for this head dim. */
  private boolean usesV2(int headDim) {
    return useDecodeV2 && !f32 && DecodeAttention.supports(headDim);
  }

  /**
   * The split plan of {@link #attention} for the kernel it will run ({@link AttentionSplit#plan} for
   * version 1, {@link DecodeAttention#plan} for version 2): plans are not interchangeable.
   */
  public AttentionSplit planAttention(int maxContext, int tokens, int kvHeads, int headDim, int targetBlocks, int maxSplits) {
    return usesV2(headDim)
        ? DecodeAttention.plan(maxContext, tokens, kvHeads, targetBlocks, maxSplits)
        : AttentionSplit.plan(maxContext, tokens, kvHeads, targetBlocks, maxSplits);
  }

  /**
   * Paged attention of {@code tokens} query tokens, merged across splits when there are several.
   * Version 1 needs {@code split} to cover the longest context with splits of {@code partition}
   * keys; version 2 reads the partition as the least keys a split gets and cuts each token's keys
   * itself. {@link #planAttention} gives the plan for the kernel this will run.
   */
  public void attention(
      AttentionIo io, int tokens, int blockSize, int nq, int nkv, int headDim, float scale,
      int window, AttentionSplit split, long stream) {
    attention(io, tokens, blockSize, nq, nkv, headDim, scale, window, split, Integer.MAX_VALUE, stream);
  }

  /**
   * As above; {@code freshKeys} tells version 2 how many of each token's newest keys the kernel
   * launched before it may have written (1 where every token decodes), so that it can load the
   * older ones before that kernel has finished (see {@link #programmaticLaunches}).
   */
  public void attention(
      AttentionIo io, int tokens, int blockSize, int nq, int nkv, int headDim, float scale,
      int window, AttentionSplit split, int freshKeys, long stream) {
    if (freshKeys < 1) throw new IllegalArgumentException("fresh keys must be at least 1, not " + freshKeys);
    if (headDim > MAX_HEAD_DIM || nq % nkv != 0 || nq / nkv > 8) {
      throw new IllegalArgumentException(
          "attention kernel takes head_dim <= 256 and at most 8 query heads per kv head; got head_dim "
              + headDim + ", " + nq + "/" + nkv + " heads");
    }
    int cls = headDim <= 32 ? 0 : headDim <= 64 ? 1 : headDim <= 128 ? 2 : 3;
    int group = nq / nkv;
    int gcls = group <= 1 ? 0 : group <= 2 ? 1 : group <= 4 ? 2 : 3;
    boolean v2 = usesV2(headDim);
    packAttention(args, io, blockSize, nq, nkv, headDim, scale, window, split, v2 ? freshKeys : -1, attentionSoftcap);
    if (v2) {
      decodeV2.launch(headDim, gcls, tokens, nkv, split.splits(), stream, args);
    } else {
      attention[cls][gcls].launch(tokens, nkv, split.splits(), 128, 0, stream, args);
    }
    if (split.splits() > 1) {
      args.reset().ptr(io.partAcc()).ptr(io.partMl()).ptr(io.positions()).i32(nq).i32(headDim)
          .i32(window).i32(split.partition()).i32(split.splits()).ptr(io.out()).i32(io.outStride())
          .ptr(io.sinks());
      (v2 ? decodeV2.combine() : attentionCombine).launch(tokens, nq, 1, 128, 0, stream, args);
    }
  }

  /**
   * The parameters of paged_attention (attention.cu) or, with {@code freshKeys >= 0}, of version 2
   * (decode_attention.cu), in the order of their signatures; only version 2 takes fresh_keys.
   */
  static KernelArgs packAttention(
      KernelArgs args, AttentionIo io, int blockSize, int nq, int nkv, int headDim, float scale, int window,
      AttentionSplit split, int freshKeys, float softcap) {
    args.reset().ptr(io.q()).i32(io.qStride()).ptr(io.kCache()).ptr(io.vCache())
        .ptr(io.blockTables()).i32(io.blockTableStride()).ptr(io.tokenSeq()).ptr(io.positions())
        .i32(blockSize).i32(nq).i32(nkv).i32(headDim).f32(scale).i32(window).i32(split.partition())
        .i32(split.splits()).ptr(io.partAcc()).ptr(io.partMl()).ptr(io.out()).i32(io.outStride());
    if (freshKeys >= 0) args.i32(freshKeys);
    return args.f32(softcap).ptr(io.sinks()).ptr(io.alibi());
  }

  /**
   * The attention score cap of the model (Gemma 2's attn_logit_softcapping: a scaled score s
   * becomes cap * tanh(s / cap)) for every later {@link #attention} launch; 0 for none.
   */
  public void attentionSoftcap(float cap) {
    this.attentionSoftcap = cap;
  }

  /**
   * Makes the next launches on this stream programmatic dependent launches (see {@link
   * LaunchConfig}), or ordinary ones again.
   */
  public void programmaticLaunches(boolean on) {
    args.programmatic(on);
  }

  public boolean programmaticLaunches() {
    return args.programmatic();
  }

  /**
   * A decode-sized product with its fused prologue and epilogue (see {@link Gemv}); bf16 only.
   * {@link Gemv#supports} tells which row counts and widths it takes.
   */
  public void gemv(
      Gemv.Prologue p, Gemv.Epilogue e, long w, int in, int out, long x, long normResidual, long normWeight,
      float eps, int rows, long y, long residual, long stream) {
    gemv(p, e, w, in, out, x, normResidual, normWeight, eps, rows, y, residual, null, stream);
  }

  /** As above; {@code qkv} holds the QKV epilogue's arguments (null for the other epilogues). */
  public void gemv(
      Gemv.Prologue p, Gemv.Epilogue e, long w, int in, int out, long x, long normResidual, long normWeight,
      float eps, int rows, long y, long residual, Gemv.QkvPrepare qkv, long stream) {
    if (f32) throw new IllegalStateException("gemv has no f32 entries");
    if (gemv == null) gemv = new Gemv(driver);
    gemv.launch(p, e, w, in, out, x, normResidual, normWeight, eps, rows, y, residual, qkv, stream, args);
  }

  /** The persistent decode kernel (loaded on first use; bf16 only), for its support checks. */
  public PersistentDecode persistentDecode() {
    if (f32) throw new IllegalStateException("the persistent decode kernel has no f32 entries");
    if (persistent == null) persistent = new PersistentDecode(driver);
    return persistent;
  }

  /** Every decoder layer of a step of one-token sequences in one launch (see {@link PersistentDecode}). */
  public void decodeLayers(PersistentDecode.Shape s, int tokens, long layerTable, int layers, float eps, float scale, int window,
      int blockSize, int maxChunks, PersistentDecode.Buffers b, long stream) {
    persistentDecode().launch(s, tokens, layerTable, layers, eps, scale, window, blockSize, maxChunks, b, stream, args);
  }

  /** Greedy sampling: {@code out[r] = argmax(logits[r])} over f32 rows. */
  public void argmax(long logits, int rows, int vocab, long out, long stream) {
    args.reset().ptr(logits).i32(vocab).ptr(out);
    argmax.launch(rows, 1, 1, 1024, 0, stream, args);
  }

  /**
   * Samples one token per row on the device; row r's params start at {@code params + 4 stride r}:
   * 1/temperature (0 = greedy), log(min_p) (-inf = none), and the row's uniform draw (see
   * sampling.cu).
   */
  /**
   * Logprobs of sampled rows (logprobs.cu): for each row whose params ask for them (word 16 >= 0),
   * the chosen token's logprob and rank and the top ones, {@code DeviceSampling.LOGPROB_WORDS}
   * words a row into {@code out}; rows that ask for none are left alone.
   */
  public void rowLogprobs(long logits, int rows, int vocab, long params, int stride, long sampled, long out, long stream) {
    args.reset().ptr(logits).i32(vocab).ptr(params).i32(stride).ptr(sampled).ptr(out);
    rowLogprobs.launch(rows, 1, 1, 256, 0, stream, args);
  }

  public void sampleRows(long logits, int rows, int vocab, long params, int stride, long out, long stream) {
    args.reset().ptr(logits).i32(vocab).ptr(params).i32(stride).ptr(out);
    sampleRows.launch(rows, 1, 1, 1024, 0, stream, args);
  }

  /**
   * Samples one token per row with token bias rows, penalties, temperature, min_p, top_k and top_p
   * (see sampling_full.cu for the DeviceSampling.WORDS words a row of {@code params}); {@code
   * counts} is the [slots, vocab] penalty count table (0 when no row has penalties), {@code bias}
   * the [slots, vocab] float bias rows (0 when no row has one).
   */
  public void sampleRowsFull(long logits, int rows, int vocab, long params, long counts, long bias, long out, long stream) {
    sampleRowsFull(logits, rows, vocab, params, counts, bias, out, 0, stream);
  }

  /**
   * As above; {@code greedy} (0: none) holds the argmax of the only row as the persistent decode
   * kernel leaves it ({@link PersistentDecode.Buffers#greedy}): a one-row launch whose row is
   * greedy without penalties or bias answers it instead of scanning the logits.
   */
  public void sampleRowsFull(long logits, int rows, int vocab, long params, long counts, long bias, long out, long greedy,
      long stream) {
    args.reset().ptr(logits).i32(vocab).ptr(params).ptr(counts).ptr(bias).ptr(out).ptr(greedy);
    sampleRowsFull.launch(rows, 1, 1, 512, 0, stream, args);
  }

  /** Adds {@code n} {slot, token, add} triples at {@code updates} into the penalty counts. */
  public void penaltyUpdate(long counts, int vocab, long updates, int n, long stream) {
    args.reset().ptr(counts).i32(vocab).ptr(updates).i32(n);
    penaltyUpdate.launch(ceilDiv(n, 256), 1, 1, 256, 0, stream, args);
  }

  /**
   * The bias rows' step updates (PenaltySlots.Updates): {@code fillCount} {slot, value} pairs at
   * {@code fills} set whole rows, then {@code setCount} {slot, token, value} triples at {@code sets}.
   */
  public void biasUpdate(long bias, int vocab, long fills, int fillCount, long sets, int setCount, long stream) {
    if (fillCount > 0) {
      args.reset().ptr(bias).i32(vocab).ptr(fills);
      biasFill.launch(ceilDiv(vocab, 256), fillCount, 1, 256, 0, stream, args);
    }
    if (setCount > 0) {
      args.reset().ptr(bias).i32(vocab).ptr(sets).i32(setCount);
      biasSet.launch(ceilDiv(setCount, 256), 1, 1, 256, 0, stream, args);
    }
  }

  /** {@code y[r, :] += bias} for {@code rows} rows of {@code cols}. */
  public void addBias(long y, long bias, int rows, int cols, long stream) {
    args.reset().ptr(y).ptr(bias).i32(cols);
    addBias.launch(ceilDiv(cols, 256), rows, 1, 256, 0, stream, args);
  }

  /** y[r, :] += bias over f32 rows whatever the math mode (the logits; Phi's LM head bias). */
  public void addBiasF32(long y, long bias, int rows, int cols, long stream) {
    args.reset().ptr(y).ptr(bias).i32(cols);
    addBiasF32.launch(ceilDiv(cols, 256), rows, 1, 256, 0, stream, args);
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  static int roundUp(int a, int m) {
    return ceilDiv(a, m) * m;
  }
}

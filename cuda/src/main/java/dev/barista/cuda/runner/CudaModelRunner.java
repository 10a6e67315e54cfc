package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.DeviceAttribute;
import dev.barista.cuda.driver.Transfers;
import dev.barista.cuda.kernels.AttentionSplit;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.cuda.kernels.DecodeAttention;
import dev.barista.cuda.kernels.FlashAttention;
import dev.barista.cuda.kernels.Gemv;
import dev.barista.cuda.kernels.PersistentDecode;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.kernels.PrefillTiles;
import dev.barista.cuda.kernels.RotaryTable;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.model.LoadedModel;
import dev.barista.engine.config.Activation;
import dev.barista.engine.config.AttentionTemperature;
import dev.barista.engine.model.RopeFrequencies;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.Logprobs;
import dev.barista.engine.sampling.Sampler;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The CUDA backend: bf16 weights and a paged bf16 KV cache on the GPU, one pass over all tokens of
 * a step (prefill chunks and decode tokens together) through cuBLAS GEMMs and Barista's kernels,
 * logits in f32, sampling on the device where the request allows (only token ids come back), and
 * decode steps replayed from CUDA graphs captured per batch-size bucket.
 *
 * <p>Slices of more than one query token (prefill chunks) attend through the tensor-core flash
 * kernel (flash_attention.cu) instead of the per-token paged kernel, which keeps the decode tokens;
 * {@code -Dbarista.cuda.flashPrefill=false} sends them through the paged kernel too. Head dims the
 * flash kernel does not take (not a multiple of 8, or above 128) keep the paged kernel for every
 * token, whatever the switch says.
 *
 * <p>The tokens that go through paged attention (all decode tokens, and prefill tokens too while
 * flash prefill is off) use version 2 of the kernel (decode_attention.cu, see {@link
 * DecodeAttention}), in eager steps and in the captured decode graphs alike; {@code
 * -Dbarista.cuda.decodeAttention=v1} goes back to version 1, which the f32 math mode always keeps.
 * Both defaults were checked and measured on an H100 (docs/benchmarks.md, 2026-11-23).
 *
 * <p>The f32 math mode ({@code --dtype float32}) keeps weights, activations and the KV cache in f32
 * and runs the GEMMs as SGEMMs, for logits within 1e-4 of a float64 reference; it uses the same
 * kernels instantiated for float, and the paged attention kernel for prefill too.
 */
public final class CudaModelRunner implements ModelRunner {
  /**
   * Most tokens of a step that takes the fused GEMV path: on an H100 (2026-11-24, Qwen3-0.6B decode
   * graphs) it was faster at 1 and 2 tokens (1.125 vs 1.360 ms, 1.263 vs 1.401 ms) and slower at 4
   * and 8 (1.548 vs 1.490 ms, 2.473 vs 1.675 ms) than cuBLAS with separate norm/activation kernels.
   */
  static final int FUSED_DECODE_MAX_TOKENS = 2;
  /** Bytes kept free beyond the KV cache for cuBLAS, graphs and the driver. */
  static final long RESERVE_BYTES = 512L << 20;
  /** System property that turns flash prefill attention off (see the class comment). */
  public static final String FLASH_PREFILL_PROPERTY = FlashAttention.PROPERTY;

  private final LoadedModel model;
  private final ModelConfig c;
  private final CudaDriver d;
  private final long context;
  private final long stream;
  private final Arena arena = Arena.ofShared();
  private final Kernels k;
  private final Gemm gemm; // cuBLAS or cuBLASLt (-Dbarista.cuda.gemm)
  private final DeviceWeights w;
  private final Activations a;
  private final SparseMlp sparse; // the mixture-of-experts MLP of sparse layers; null in a dense model
  private final LatentAttention latentAttention; // DeepSeek's attention projections; null for other models
  private final long alibiSlopes; // ALiBi's per-head slopes in units of scaled scores (f32); 0 for other models
  private final long invFreq;
  private final long noRotation; // a table of zero frequencies: SmolLM3's NoPE layers (cos 1, sin 0)
  private final long localInvFreq; // Gemma 3's sliding layers' own unscaled table; 0 where none
  // SiLU MLPs without Gemma 2/3's output norms: the layers the fused GEMV and persistent kernels compute
  private final boolean plainLayers;
  private final boolean wholeQkNorm; // OLMo 2/3, OLMoE: q/k norms over the whole q and k parts of a QKV row
  private final boolean qkNormAfterRope; // HunYuan: per-head q/k norms of the rotated heads
  private final int[] windows; // each layer's attention window, 0 for full attention
  private final float scale;
  private final int targetBlocks;
  private final DecodeGraphs graphs;
  private final boolean f32; // the f32 math mode
  private final FlashAttention flash; // null where the head dim is not one it takes, or in f32 mode
  private boolean flashPrefill;
  private long graphInput;
  private final MemorySegment hostInput;
  private final long deviceInput;
  private final MemorySegment hostSampled;
  private MemorySegment hostLogits;
  private long logprobRows; // logprobs.cu's output rows on the device (first use), else 0
  private MemorySegment hostLogprobRows;
  private DeviceKvCache cache;
  private boolean keepLogits;
  private final DeviceSampling.Mode samplingMode = DeviceSampling.Mode.fromProperty();
  private boolean fusedDecode = DecodeSwitches.fusedDecode();
  private DecodeSwitches.Persistent persistentDecode = DecodeSwitches.persistentDecode();
  private final boolean multiTokenPersistent = DecodeSwitches.persistentMultiToken();
  private long layerTable; // the persistent decode kernel's per-layer pointers (after allocateKvCache)
  private final long gridBarrier; // its barrier counter
  private long persistentTrace; // its clock stamps (-Dbarista.cuda.persistentTrace), else 0
  private boolean persistentStep; // whether the layers of the step being recorded ran in it (logits() then differs)
  private boolean persistentLmHead; // and whether it wrote the logits too
  private int persistentTokens; // tokens of the last step the persistent kernel took (0: the last step did not)
  private final HostTimes hostTimes = new HostTimes();
  private long synced; // System.nanoTime() when finish() last saw the stream done
  private final boolean fusedDecodeBiased;
  private final PenaltySlots penalties;
  private final SamplingTables samplingTables; // penalty counts and bias rows (full mode), else null
  private float[][] lastLogits = new float[0][];

  /**
   * @param maxTokens most tokens of one step (max_num_batched_tokens)
   * @param maxSeqs most sequences of one step (max_num_seqs): decode graphs are captured up to it
   * @param graphContext longest context a decode graph step may have; 0 turns graphs off
   */
  public CudaModelRunner(LoadedModel model, int maxTokens, int maxSeqs, int graphContext) {
    this(model, maxTokens, maxSeqs, graphContext, false);
  }

  /**
   * @param f32 the f32 math mode (--dtype float32): weights, activations and the KV cache in f32,
   *     GEMMs as SGEMMs (no TF32), prefill attention through the paged kernel (flash is bf16-only)
   */
  public CudaModelRunner(LoadedModel model, int maxTokens, int maxSeqs, int graphContext, boolean f32) {
    this.model = model;
    this.f32 = f32;
    this.c = model.config();
    this.d = CudaDriver.get();
    this.context = d.retainPrimaryContext(d.device(0));
    this.stream = d.createStream();
    String declined = CudaRunnerProvider.declined(c);
    if (declined != null) throw new IllegalArgumentException(c.architecture() + ": " + declined);
    if (c.headDim() > Kernels.MAX_HEAD_DIM || c.numHeads() % c.numKvHeads() != 0 || c.queriesPerKvHead() > 8) {
      throw new IllegalArgumentException("the CUDA runner takes head_dim <= 256 and <= 8 query heads per kv head");
    }

    this.k = new Kernels(d, arena, f32);
    k.decodeAttentionV2(DecodeAttention.requested() && !f32); // read first: a bad value fails in f32 too
    this.flash = !f32 && FlashAttention.supports(c.headDim()) ? new FlashAttention(d, arena) : null;
    this.flashPrefill = FlashAttention.requested() && flash != null;
    k.attentionSoftcap((float) c.softcaps().attention());
    if (flash != null) flash.softcap((float) c.softcaps().attention());
    this.gemm = Gemm.open(d, stream);
    this.w = new DeviceWeights(d, model.weights(), f32, c);
    this.fusedDecodeBiased = w.layers().stream().anyMatch(L -> L.oBias() != 0 || L.gateUpBias() != 0 || L.downBias() != 0);
    boolean hopper = d.attribute(DeviceAttribute.COMPUTE_CAPABILITY_MAJOR, d.device(0)) >= 9;
    k.programmaticLaunches(DecodeSwitches.programmaticLaunches() && hopper);
    int logitRows = Math.max(maxSeqs, 64);
    int tokens = Math.max(maxTokens, maxSeqs);
    // partial results of split attention: enough for 64 splits of a full decode batch
    int partialRows = Math.max(tokens, maxSeqs * 64) * c.numHeads();
    this.a = new Activations(d, c, tokens, logitRows, partialRows, k.elementBytes());
    this.sparse = c.moe() == null ? null : new SparseMlp(d, arena, gemm, k, c.moe(), c.activation(), c.hiddenSize(), tokens, f32);
    this.latentAttention = c.mla() == null ? null : new LatentAttention(d, gemm, k, c, tokens, f32);
    d.memsetAsync(a.headCounts, (byte) 0, 8L * (c.numHeads() + 2L * c.numKvHeads()), stream);
    d.memsetAsync(a.qkvWords, (byte) 0, 8L * a.qkvWordsCapacity, stream);
    this.gridBarrier = d.malloc(4);
    d.memsetAsync(gridBarrier, (byte) 0, 4, stream);
    var arch = model.architecture();
    this.invFreq = Transfers.upload(d, RotaryTable.of(RopeFrequencies.rotary(c), arch.interleavedRope()));
    this.noRotation = Transfers.upload(d, RotaryTable.single(new float[c.headDim() / 2]));
    int firstLocal = c.localRope() == null ? -1 : c.localRope().layers().indexOf(true);
    this.localInvFreq = firstLocal < 0 ? 0 : Transfers.upload(d, RotaryTable.of(RopeFrequencies.rotaryOfLayer(c, firstLocal)));
    this.alibiSlopes = c.alibi() == null ? 0 : Transfers.upload(d, toFloats(c.alibi().scoreSlopes(RopeFrequencies.attentionScale(c))));
    this.wholeQkNorm = arch.wholeQkNorm();
    this.plainLayers = c.activation() == Activation.SILU && arch.gatedMlp() && !arch.layerNorm() && !arch.postNormsOnly()
        && c.rotaryDim() == c.headDim() && !c.parallelResidual() && !arch.interleavedRope() && c.moe() == null
        && c.clipQkv() == 0 && !arch.qkNormAfterRope() && !arch.attentionSinks() && c.mla() == null && c.alibi() == null
        && w.layers().stream().allMatch(L -> L.attentionOutputNorm() == 0);
    this.qkNormAfterRope = arch.qkNormAfterRope();
    this.windows = kernelWindows(model);
    this.scale = (float) RopeFrequencies.attentionScale(c);
    this.targetBlocks = 4 * d.attribute(DeviceAttribute.MULTIPROCESSOR_COUNT, d.device(0));
    this.graphs = graphContext > 0 ? new DecodeGraphs(Math.min(maxSeqs, logitRows), graphContext) : null;
    int inputInts = 16 << 20;
    this.hostInput = d.mallocHost(4L * inputInts);
    this.deviceInput = d.malloc(4L * inputInts);
    this.hostSampled = d.mallocHost(4L * logitRows);
    // Penalty counts are sized up front (decode graphs capture their address): one slot per
    // sequence of a step, at most 256 (151936 x 256 x 4 B = 156 MB for a Qwen vocabulary).
    int slots = samplingMode == DeviceSampling.Mode.FULL ? Math.min(maxSeqs, 256) : 0;
    this.penalties = new PenaltySlots(slots);
    this.samplingTables = slots > 0 ? new SamplingTables(d, k, slots, c.vocabSize(), stream) : null;
  }

  @Override
  public dev.barista.engine.weights.Tensor classifierHead() {
    return model.weights().classifier(); // the host weights stay mapped until close
  }

  @Override
  public ModelConfig config() {
    return c;
  }

  public LoadedModel model() {
    return model;
  }

  /** Whether this runner computes in the f32 math mode. */
  public boolean f32() {
    return f32;
  }

  /** Device bytes of the weights. */
  public long weightBytes() {
    return w.bytes();
  }

  @Override
  public long kvCacheBytesPerBlock(int blockSize) {
    return c.numLayers() * DeviceKvCache.bytesPerBlockPerLayer(blockSize, c.numKvHeads(), c.headDim(), k.elementBytes());
  }

  /**
   * Bytes the KV cache may take when the process may use {@code utilization} of the device's
   * memory (vLLM's --gpu-memory-utilization): that share of the total, less what is in use now
   * (weights, activations, other processes) and a reserve.
   */
  @Override
  public long kvCacheMemoryBudget(double utilization) {
    d.setCurrent(context);
    long[] mem = d.memoryInfo();
    long used = mem[1] - mem[0];
    return Math.max(0, (long) (utilization * mem[1]) - used - RESERVE_BYTES);
  }

  @Override
  public void allocateKvCache(int numBlocks, int blockSize) {
    d.setCurrent(context);
    dropGraphs();
    if (cache != null) cache.close();
    cache = new DeviceKvCache(d, c.numLayers(), numBlocks, blockSize, c.numKvHeads(), c.headDim(), k.elementBytes(), stream);
    if (layerTable != 0) d.free(layerTable);
    layerTable = f32 ? 0 : Transfers.upload(d, PersistentDecode.layerTable(layerPointers(cache)));
    if (graphs != null) {
      if (graphInput != 0) d.free(graphInput);
      graphInput = d.malloc(4L * graphLayout(graphs.maxBatch()).size());
    }
    d.synchronize(stream);
  }

  @Override
  public void copyBlock(int src, int dst) {
    d.setCurrent(context);
    requireCache().copyBlock(src, dst, stream);
  }

  private DeviceKvCache requireCache() {
    if (cache == null) throw new IllegalStateException("allocateKvCache must be called before execute");
    return cache;
  }

  @Override
  public StepResult execute(ForwardBatch batch) {
    d.setCurrent(context);
    DeviceKvCache kv = requireCache();
    if (batch.slices().isEmpty()) return new StepResult(List.of());
    SamplingPlan sampling = SamplingPlan.of(batch.slices(), keepLogits, samplingMode, penalties);
    // a pooling slice needs the final norm's output, which graphs and the persistent kernel fuse away
    boolean pooling = batch.slices().stream().anyMatch(SequenceSlice::pool);
    if (graphs != null && !pooling && graphs.eligible(batch)) return executeGraph(batch, kv, sampling);
    InputLayout lay = StepInputs.exactLayout(batch, kv.blockSize());
    StepInputs in = StepInputs.pack(batch, lay, kv.blockSize(), c.vocabSize(), sampling);
    if (in.tokens() > a.maxTokens) {
      throw new IllegalArgumentException("step of " + in.tokens() + " tokens exceeds max_num_batched_tokens " + a.maxTokens);
    }
    AttentionSplit split = k.planAttention(in.maxContext(), in.tokens(), c.numKvHeads(), c.headDim(), targetBlocks, maxSplits(in.tokens()));
    FlashStep fs = null;
    if (flashPrefill) {
      PrefillTiles plan = prefillTiles(batch);
      fs = new FlashStep(plan, deviceInput + 4L * PrefillTiles.tileOffset(in.buffer().length), in.maxContext());
      upload(plan.appendTo(in.buffer()), deviceInput);
    } else {
      upload(in.buffer(), deviceInput);
    }
    applyPenaltyUpdates();
    // every slice one token with one logits row (its sampled one): token t is the next of its own
    // sequence, and logits row t is token t's (as in decode graphs)
    boolean oneTokenEach = !pooling && batch.slices().size() == in.tokens() && in.rows() == in.tokens();
    layers(deviceInput, lay, in.tokens(), oneTokenEach, split, kv, fs);
    return finish(batch, in, deviceInput, false, sampling);
  }

  /** This step's split of the attention work (see PrefillTiles) and where its tile table is. */
  private record FlashStep(PrefillTiles plan, long tiles, int maxContext) {}

  static PrefillTiles prefillTiles(ForwardBatch batch) {
    List<SequenceSlice> slices = batch.slices();
    int[] tokens = new int[slices.size()], starts = new int[slices.size()];
    for (int s = 0; s < tokens.length; s++) {
      tokens[s] = slices.get(s).tokenIds().length;
      starts[s] = slices.get(s).startPosition();
    }
    return PrefillTiles.plan(tokens, starts);
  }

  /**
   * Turns flash prefill attention on or off for the next steps (the default comes from the
   * {@value #FLASH_PREFILL_PROPERTY} property); returns whether it is on, which it cannot be where
   * the kernel does not take the model's head dim.
   */
  public boolean flashPrefill(boolean on) {
    flashPrefill = on && flash != null;
    return flashPrefill;
  }

  /**
   * Turns the fused GEMV decode path on or off for the next steps (the default comes from {@value
   * DecodeSwitches#FUSED_DECODE}); decode graphs captured so far are dropped. Returns whether steps
   * of few tokens will take it (not in the f32 math mode, nor for models with projection biases).
   */
  public boolean fusedDecode(boolean on) {
    d.setCurrent(context);
    if (on != fusedDecode) {
      d.synchronize(stream);
      dropGraphs();
      fusedDecode = on;
    }
    return fusedDecode(1);
  }

  /**
   * Turns the persistent decode kernel on or off for the next one-token steps (the default, {@code
   * auto}, comes from {@value DecodeSwitches#PERSISTENT_DECODE}); decode graphs captured so far are
   * dropped. Returns whether one-token steps will take it (it needs what the fused path needs, an
   * sm_90 GPU and a model shape the kernel takes).
   */
  public boolean persistentDecode(boolean on) {
    return persistentDecode(on ? DecodeSwitches.Persistent.ON : DecodeSwitches.Persistent.OFF);
  }

  /** As above, {@code AUTO} included (the kernel where the model's layers are large enough). */
  public boolean persistentDecode(DecodeSwitches.Persistent mode) {
    d.setCurrent(context);
    if (mode != persistentDecode) {
      d.synchronize(stream);
      dropGraphs();
      persistentDecode = mode;
    }
    return persistentDecode(1, true);
  }

  /**
   * Whether a step of {@code tokens} tokens goes through the persistent kernel: one token, or two
   * each of its own sequence where the kernel has entries for them (graph buckets pad with inert
   * tokens). {@code oneTokenEach}: each token is its own sequence's and has one logits row, row t
   * token t's (the kernel's logits launch reads residual rows as logits rows).
   */
  private boolean persistentDecode(int tokens, boolean oneTokenEach) {
    if (persistentDecode == DecodeSwitches.Persistent.OFF || !fusedDecode(1) || !oneTokenEach) return false;
    // the kernel takes one window and one rotary table for all layers
    if (java.util.Arrays.stream(windows).distinct().count() > 1 || c.ropeLayers().contains(false)) return false;
    if (tokens != 1 && !(multiTokenPersistent && tokens <= PersistentDecode.MAX_TOKENS)) return false;
    PersistentDecode.Shape shape = persistentShape();
    if (persistentDecode == DecodeSwitches.Persistent.AUTO && !PersistentDecode.prefers(shape)) return false;
    if (cache != null && !PersistentDecode.takesBlockSize(cache.blockSize())) return false;
    return k.persistentDecode().supports(shape, tokens) && tokens * (long) (c.qDim() + 2L * c.kvDim()) <= a.qkvWordsCapacity;
  }

  private int traceLongs() {
    return k.persistentDecode().blocks() * (c.numLayers() * PersistentDecode.TRACE_POINTS + PersistentDecode.TRACE_EXTRA);
  }

  /**
   * The last persistent launch's trace (see decode_persistent.cu): per block, clock stamps of each
   * layer's phases and the waits; null unless {@value DecodeSwitches#PERSISTENT_TRACE} is set.
   */
  public long[] persistentTrace() {
    if (persistentTrace == 0) return null;
    d.setCurrent(context);
    d.synchronize(stream);
    int[] raw = Transfers.readInts(d, persistentTrace, 2 * traceLongs());
    long[] t = new long[raw.length / 2];
    for (int i = 0; i < t.length; i++) t[i] = (raw[2 * i] & 0xffffffffL) | ((long) raw[2 * i + 1] << 32);
    return t;
  }

  /** The host's time in graph-replayed steps, by part (DecodeBench prints it). */
  public HostTimes hostTimes() {
    return hostTimes;
  }

  /**
   * Tokens of the last step recorded or run through the persistent decode kernel, 0 if it did not
   * take it (a replayed graph counts as the step it captured), for checks that must know which
   * path they tested.
   */
  public int lastPersistentTokens() {
    return persistentTokens;
  }

  /** Blocks of a persistent decode launch (one per multiprocessor). */
  public int persistentBlocks() {
    return k.persistentDecode().blocks();
  }

  private PersistentDecode.Shape persistentShape() {
    return new PersistentDecode.Shape(c.numLayers(), c.hiddenSize(), c.numHeads(), c.numKvHeads(), c.headDim(), c.intermediateSize());
  }

  /** Each layer's pointers in the persistent kernel's order (see {@link PersistentDecode#layerTable}). */
  private long[][] layerPointers(DeviceKvCache kv) {
    List<DeviceWeights.Layer> ls = w.layers();
    boolean oneLayer = DecodeSwitches.persistentOneLayerWeights();
    long[][] t = new long[ls.size()][];
    for (int l = 0; l < t.length; l++) {
      DeviceWeights.Layer L = ls.get(oneLayer ? 0 : l);
      t[l] = new long[] {L.inputNorm(), L.qkv(), L.qkvBias(), L.qNorm(), L.kNorm(), L.o(), L.postNorm(), L.gateUp(),
          L.down(), kv.keys(l), kv.values(l)};
    }
    return t;
  }

  /**
   * Chooses version 2 (true) or 1 of paged attention for the next steps (the default comes from
   * {@value DecodeAttention#PROPERTY}); decode graphs captured so far are dropped, so that the
   * next ones capture the chosen kernel. Version 2 is bf16-only: the f32 math mode keeps 1.
   */
  public void decodeAttentionV2(boolean on) {
    on = on && !f32;
    d.setCurrent(context);
    if (on == k.decodeAttentionV2()) return;
    d.synchronize(stream);
    dropGraphs();
    k.decodeAttentionV2(on);
  }

  private StepResult executeGraph(ForwardBatch batch, DeviceKvCache kv, SamplingPlan sampling) {
    long t0 = System.nanoTime();
    int bucket = graphs.bucketFor(batch.slices().size());
    InputLayout lay = graphLayout(bucket);
    StepInputs in = StepInputs.pack(batch, lay, kv.blockSize(), c.vocabSize(), sampling);
    long t1 = System.nanoTime();
    upload(in.buffer(), graphInput);
    long t2 = System.nanoTime();
    applyPenaltyUpdates();
    long graph = graphs.graph(bucket, b -> capture(b, kv));
    persistentTokens = persistentDecode(bucket, true) ? bucket : 0; // as the graph was captured (switch changes drop graphs)
    long t3 = System.nanoTime();
    d.launchGraph(graph, stream);
    long t4 = System.nanoTime();
    StepResult r = finish(batch, in, graphInput, true, sampling);
    hostTimes.add(t0, t1, t2, t3, t4, synced, System.nanoTime());
    return r;
  }

  /**
   * Zeroes newly assigned penalty slots, adds the step's token counts and updates the bias rows,
   * ahead of sampling; the first bias row allocates the table, and graphs captured without it go.
   */
  private void applyPenaltyUpdates() {
    if (samplingTables != null && samplingTables.apply(penalties.updates(), stream)) dropGraphs();
  }

  /** The device sampling kernel of this mode over {@code rows} logits rows. */
  private void sample(long params, int rows) {
    if (samplingMode == DeviceSampling.Mode.FULL) {
      // after the persistent kernel's LM head, a greedy row's token is already known (its argmax)
      k.sampleRowsFull(a.logits, rows, c.vocabSize(), params, samplingTables == null ? 0 : samplingTables.counts(),
          samplingTables == null ? 0 : samplingTables.bias(), a.sampled, persistentStep && persistentLmHead ? a.greedyWord : 0, stream);
    } else {
      k.sampleRows(a.logits, rows, c.vocabSize(), params, DeviceSampling.WORDS, a.sampled, stream);
    }
  }

  private InputLayout graphLayout(int bucket) {
    int bs = cache.blockSize();
    return new InputLayout(bucket, bucket, bucket, (graphs.maxContext() + bs - 1) / bs);
  }

  /** Runs the bucket's body once eagerly (cuBLAS sets itself up outside capture), then captures it. */
  private long capture(int bucket, DeviceKvCache kv) {
    InputLayout lay = graphLayout(bucket);
    AttentionSplit split = k.planAttention(graphs.maxContext(), bucket, c.numKvHeads(), c.headDim(), targetBlocks, maxSplits(bucket));
    Runnable body = () -> {
      layers(graphInput, lay, bucket, true, split, kv, null);
      logits(graphInput, lay, 0, bucket);
      sample(graphInput + 4L * lay.sampling(), bucket);
    };
    body.run();
    d.synchronize(stream);
    d.beginCapture(stream);
    body.run();
    return d.endCaptureAndInstantiate(stream);
  }

  private int maxSplits(int tokens) {
    return Math.max(1, a.partialRows / (tokens * c.numHeads()));
  }

  private void upload(int[] values, long dst) {
    long bytes = 4L * values.length;
    if (bytes > hostInput.byteSize()) throw new IllegalArgumentException("step inputs of " + bytes + " bytes exceed the staging buffer");
    MemorySegment.copy(values, 0, hostInput, ValueLayout.JAVA_INT, 0, values.length);
    d.copyToDeviceAsync(dst, hostInput, bytes, stream);
  }

  /** Every decoder layer over {@code tokens} rows; leaves the last layer's output in x and residual. */
  private void layers(long in, InputLayout lay, int tokens, boolean oneTokenEach, AttentionSplit split, DeviceKvCache kv,
      FlashStep fs) {
    int hidden = c.hiddenSize(), nq = c.numHeads(), nkv = c.numKvHeads(), dim = c.headDim();
    int qkvWidth = (nq + 2 * nkv) * dim, inter = c.intermediateSize();
    float eps = (float) c.rmsNormEps();
    long ids = in + 4L * lay.ids(), pos = in + 4L * lay.positions(), slots = in + 4L * lay.slots();
    long seq = in + 4L * lay.tokenSeq(), tables = in + 4L * lay.blockTables();
    boolean fused = fusedDecode(tokens);
    boolean gated = model.architecture().gatedMlp();
    List<DeviceWeights.Layer> ls = w.layers();
    persistentStep = persistentDecode(tokens, oneTokenEach);
    persistentTokens = persistentStep ? tokens : 0;
    persistentLmHead = persistentStep && tokens == 1 && k.persistentDecode().takesLmHead(persistentShape(), c.vocabSize());
    if (persistentStep) {
      // the kernel gathers the token's embedding row and normalises it itself
      if (persistentTrace == 0 && DecodeSwitches.persistentTrace()) persistentTrace = d.malloc(8L * traceLongs());
      var b = new PersistentDecode.Buffers(w.embedding(), ids, a.residual, a.qkvWords, a.attention, a.act, pos, slots, seq, tables,
          lay.stride(), invFreq, a.partAcc, a.partMl, a.headCounts, gridBarrier, persistentTrace,
          persistentLmHead ? w.lmHead() : 0, w.finalNorm(), a.logits, c.vocabSize(), persistentLmHead ? a.greedyWord : 0);
      PersistentDecode.Shape shape = persistentShape();
      k.decodeLayers(shape, tokens, layerTable, ls.size(), eps, scale, windows[0], kv.blockSize(),
          k.persistentDecode().maxChunks(shape, a.partialRows, tokens), b, stream);
      return;
    }
    k.embedding(ids, w.embedding(), a.x, tokens, hidden, w.positionEmbedding(), pos, model.architecture().positionOffset(),
        stream);
    if (w.embeddingNorm() != 0) { // Bloom: a LayerNorm of the embeddings before the first layer
      k.addNorm(a.x, a.residual, a.normed, w.embeddingNorm(), w.embeddingNormBias(), 0, tokens, hidden, eps, false, false,
          stream);
      d.copyDeviceAsync(a.x, a.normed, (long) k.elementBytes() * tokens * hidden, stream);
    }
    for (int l = 0; l < ls.size(); l++) {
      DeviceWeights.Layer L = ls.get(l);
      // fused: the input norm inside the projection (the residual already holds the last layer's
      // output), and qkv_prepare's work in its epilogue where the head dim allows
      Gemv.QkvPrepare qa = fused && Gemv.supportsQkv(dim)
          ? new Gemv.QkvPrepare(L.qkvBias(), L.qNorm(), L.kNorm(), pos, rotaryTable(l), slots, kv.keys(l), kv.values(l),
              a.headCounts, nq, nkv, dim)
          : null;
      Gemv.Epilogue qkvEpilogue = qa != null ? Gemv.Epilogue.QKV : Gemv.Epilogue.STORE;
      if (fused && l > 0) {
        k.gemv(Gemv.Prologue.NORM, qkvEpilogue, L.qkv(), hidden, qkvWidth, 0, a.residual, L.inputNorm(), eps,
            tokens, a.qkv, 0, qa, stream);
      } else {
        if (c.parallelResidual()) {
          // GPT-NeoX, Phi: the MLP's input is normed from this layer's input too; it waits in the
          // act buffer (intermediate_size wide, >= hidden) until the MLP reads it
          k.addNorm(a.x, a.residual, a.act, L.postNorm(), L.postNormBias(), 0, tokens, hidden, eps, l > 0, false, stream);
        }
        k.addNorm(a.x, a.residual, a.normed, L.inputNorm(), L.inputNormBias(), 0, tokens, hidden, eps, l > 0, true, stream);
        if (fused) {
          k.gemv(Gemv.Prologue.COPY, qkvEpilogue, L.qkv(), hidden, qkvWidth, a.normed, 0, 0, 0, tokens, a.qkv, 0, qa, stream);
        } else if (L.latent() != null) {
          latentAttention.project(L.latent(), a.normed, a.qkv, tokens, eps, stream);
        } else {
          linear(a.normed, L.qkv(), a.qkv, tokens, hidden, qkvWidth, false);
        }
      }
      if (qa == null && wholeQkNorm) { // (no q/k bias in these models, so the norm may come first)
        k.rmsNormStrided(a.qkv, tokens, qkvWidth, nq * dim, L.qNorm(), eps, stream);
        k.rmsNormStrided(a.qkv + (long) k.elementBytes() * nq * dim, tokens, qkvWidth, nkv * dim, L.kNorm(), eps, stream);
      }
      long qkvBias = L.qkvBias();
      if (c.clipQkv() != 0) { // OLMo: q, k and v clamped after their projection and bias, before RoPE
        if (qkvBias != 0) k.addBias(a.qkv, qkvBias, tokens, qkvWidth, stream);
        qkvBias = 0;
        k.clamp(a.qkv, (long) tokens * qkvWidth, (float) c.clipQkv(), stream);
      }
      if (qa == null) {
        // Llama 4's attention temperature: the queries of its layers without RoPE
        AttentionTemperature temperature = c.rotates(l) ? null : c.attentionTemperature();
        k.qkvPrepare(a.qkv, qkvBias, wholeQkNorm ? 0 : L.qNorm(), wholeQkNorm ? 0 : L.kNorm(), eps, pos, rotaryTable(l),
            slots, kv.keys(l), kv.values(l), tokens, nq, nkv, dim, qkNormAfterRope,
            temperature == null ? 0 : (float) temperature.floorScale(), temperature == null ? 0 : (float) temperature.attnScale(),
            stream);
      }
      var io = new Kernels.AttentionIo(a.qkv, qkvWidth, kv.keys(l), kv.values(l), tables, lay.stride(), seq, pos,
          a.partAcc, a.partMl, a.attention, nq * dim, L.sinks(), alibiSlopes);
      if (fs == null) {
        k.attention(io, tokens, kv.blockSize(), nq, nkv, dim, scale, windows[l], split, lay.freshKeys(), stream);
      } else {
        flashAttention(io, fs, kv.blockSize(), windows[l]);
      }
      if (fused) {
        fusedMlp(L, tokens, eps, l == ls.size() - 1);
        continue;
      }
      projectIntoX(a.attention, L.o(), L.oBias(), L.attentionOutputNorm(), tokens, nq * dim, eps);
      long mlpIn = a.act;
      if (!c.parallelResidual()) {
        k.addNorm(a.x, a.residual, a.normed, L.postNorm(), L.postNormBias(), 0, tokens, hidden, eps, true, true, stream);
        mlpIn = a.normed;
      }
      if (L.experts() != null) { // a sparse layer (no MoE architecture has a parallel residual)
        sparse.run(L.experts(), mlpIn, a.x, a.gateUp, a.act, tokens, stream);
        continue;
      }
      int upWidth = gated ? 2 * inter : inter; // an ungated MLP (OPT, GPT-2) has one up projection
      linear(mlpIn, L.gateUp(), a.gateUp, tokens, hidden, upWidth, false);
      if (L.gateUpBias() != 0) k.addBias(a.gateUp, L.gateUpBias(), tokens, upWidth, stream);
      k.actMul(a.gateUp, a.act, tokens, inter, c.activation(), gated, stream);
      if (c.parallelResidual()) { // x = attention output + MLP output, both added by the next norm
        gemm.linear(a.act, L.down(), a.x, tokens, inter, hidden, f32 ? CuBlas.R_32F : CuBlas.R_16BF,
            f32 ? CuBlas.R_32F : CuBlas.R_16BF, true);
        if (L.downBias() != 0) k.addBias(a.x, L.downBias(), tokens, hidden, stream);
      } else {
        projectIntoX(a.act, L.down(), L.downBias(), L.mlpOutputNorm(), tokens, inter, eps);
      }
    }
  }

  /**
   * x = in · wᵀ + bias, the layer output the next norm adds into the residual; with an output norm
   * (Gemma 2 and 3) the product lands in the free gate/up buffer and x is its normalised copy.
   */
  private void projectIntoX(long in, long weight, long bias, long outputNorm, int tokens, int inWidth, float eps) {
    int hidden = c.hiddenSize();
    long y = outputNorm == 0 ? a.x : a.gateUp; // gate/up rows are 2 x intermediate_size wide, >= hidden
    linear(in, weight, y, tokens, inWidth, hidden, false);
    if (bias != 0) k.addBias(y, bias, tokens, hidden, stream);
    if (outputNorm != 0) k.addRmsNorm(y, a.residual, a.x, outputNorm, 0, tokens, hidden, eps, false, false, stream);
  }

  /**
   * The rest of a layer through the fused GEMV kernels: the O projection added into the residual,
   * the post-attention norm inside the gate/up projection with SiLU-and-mul after it, and the down
   * projection added into the residual - except in the last layer, whose down projection lands in x,
   * where the final norm adds it as in the unfused path.
   */
  private void fusedMlp(DeviceWeights.Layer L, int tokens, float eps, boolean last) {
    int hidden = c.hiddenSize(), inter = c.intermediateSize();
    k.gemv(Gemv.Prologue.COPY, Gemv.Epilogue.RESIDUAL, L.o(), c.numHeads() * c.headDim(), hidden, a.attention, 0, 0, 0,
        tokens, 0, a.residual, stream);
    k.gemv(Gemv.Prologue.NORM, Gemv.Epilogue.SILU, L.gateUp(), hidden, inter, 0, a.residual, L.postNorm(), eps, tokens,
        a.act, 0, stream);
    k.gemv(Gemv.Prologue.COPY, last ? Gemv.Epilogue.STORE : Gemv.Epilogue.RESIDUAL, L.down(), inter, hidden, a.act, 0, 0,
        0, tokens, last ? a.x : 0, last ? 0 : a.residual, stream);
  }

  /**
   * Whether a step of {@code tokens} rows runs its projections through the fused GEMV kernels
   * ({@link Gemv}): bf16 math, at most {@link #FUSED_DECODE_MAX_TOKENS} rows and inputs narrow
   * enough for the kernels, no o/gate-up/down biases (which only the unfused path adds), and not
   * switched off.
   */
  private boolean fusedDecode(int tokens) {
    if (!fusedDecode || f32 || fusedDecodeBiased || !plainLayers || tokens > FUSED_DECODE_MAX_TOKENS) return false;
    int widest = Math.max(c.hiddenSize(), Math.max(c.numHeads() * c.headDim(), c.intermediateSize()));
    return Gemv.supports(tokens, widest);
  }

  /** Layer {@code l}'s rotary table: the model's, Gemma 3's local one, or zero frequencies for a NoPE layer. */
  private long rotaryTable(int l) {
    if (!c.rotates(l)) return noRotation;
    return c.localRope() != null && c.localRope().appliesTo(l) ? localInvFreq : invFreq;
  }

  /** Decode tokens through paged attention (one launch per contiguous run), prefill tiles through flash. */
  private void flashAttention(Kernels.AttentionIo io, FlashStep fs, int blockSize, int window) {
    int nq = c.numHeads(), nkv = c.numKvHeads(), dim = c.headDim();
    int[] runs = fs.plan().decodeRuns();
    for (int r = 0; r < runs.length; r += 2) {
      int n = runs[r + 1];
      AttentionSplit split = k.planAttention(fs.maxContext(), n, nkv, dim, targetBlocks, maxSplits(n));
      k.attention(FlashAttention.fromToken(io, runs[r]), n, blockSize, nq, nkv, dim, scale, window, split, 1, stream);
    }
    flash.prefill(io, fs.tiles(), fs.plan().numTiles(), blockSize, nq, nkv, dim, scale, window, stream);
  }

  /**
   * {@code y = x · wᵀ} through cuBLAS or cuBLASLt ({@link Gemm}). (A GEMV kernel of our own for
   * decode-sized products was measured slower than cuBLAS inside CUDA graphs on every shape tried;
   * see docs/benchmarks.md.)
   */
  private void linear(long x, long weight, long y, int rows, int in, int out, boolean f32Out) {
    int inType = f32 ? CuBlas.R_32F : CuBlas.R_16BF;
    gemm.linear(x, weight, y, rows, in, out, inType, f32Out || f32 ? CuBlas.R_32F : CuBlas.R_16BF, false);
  }

  /** Final norm and LM head for logits rows [from, from + count) into the logits buffer. */
  private void logits(long in, InputLayout lay, int from, int count) {
    if (persistentLmHead) return; // the persistent kernel's last phase wrote them
    if (persistentStep) {
      // the persistent kernel left the whole residual stream (its last layer added in); one launch
      // normalises it in its prologue and writes f32 logits: the final norm kernel and the cuBLAS
      // LM head took ~118 us of a Qwen3-0.6B step for 311 MB (docs/benchmarks.md, session 9)
      // (its rows are the tokens', one a sequence: logits row r is token r's)
      if (from != 0 || count != persistentTokens) {
        throw new IllegalStateException("a persistent step of " + persistentTokens + " tokens has as many logits rows, not ["
            + from + ", " + (from + count) + ")");
      }
      k.gemv(Gemv.Prologue.NORM, Gemv.Epilogue.LOGITS, w.lmHead(), c.hiddenSize(), c.vocabSize(), 0, a.residual,
          w.finalNorm(), (float) c.rmsNormEps(), count, a.logits, 0, stream);
      return;
    }
    long rows = in + 4L * (lay.logitRows() + from);
    k.addNorm(a.x, a.residual, a.normed, w.finalNorm(), w.finalNormBias(), rows, count, c.hiddenSize(),
        (float) c.rmsNormEps(), true, false, stream);
    linear(a.normed, w.lmHead(), a.logits, count, c.hiddenSize(), c.vocabSize(), true);
    if (w.lmHeadBias() != 0) k.addBiasF32(a.logits, w.lmHeadBias(), count, c.vocabSize(), stream);
    float cap = (float) c.softcaps().finalLogits();
    if (cap != 0) k.softcap(a.logits, (long) count * c.vocabSize(), cap, stream);
  }

  /**
   * Turns the logits rows into results, a chunk of rows at a time: the device samples each chunk;
   * rows the device cannot serve (prompt logprobs, CPU-only sampling) are copied back whole.
   */
  private StepResult finish(ForwardBatch batch, StepInputs in, long inBase, boolean graphDone, SamplingPlan sampling) {
    List<SequenceSlice> slices = batch.slices();
    int vocab = c.vocabSize();
    int total = in.rows();
    int[] sampled = new int[total];
    float[][] hostRows = new float[total][];
    boolean[] needHost = new boolean[total];
    boolean[] deviceLogprobs = new boolean[total]; // device-sampled rows whose request asks for logprobs
    for (int s = 0; s < slices.size(); s++) {
      SequenceSlice slice = slices.get(s);
      int r0 = in.firstRow(s);
      for (int i = 0; i < in.promptRows(s); i++) {
        if (sampling.promptOnDevice()[s]) deviceLogprobs[r0 + i] = true;
        else needHost[r0 + i] = true;
      }
      if (slice.sample() && !sampling.onDevice()[s]) {
        needHost[r0 + in.promptRows(s)] = true;
      } else if (slice.sample() && slice.sampling().params().logprobs() != null) {
        deviceLogprobs[r0 + in.promptRows(s)] = true;
      }
    }
    boolean anyLogprobs = false;
    for (boolean b : deviceLogprobs) anyLogprobs |= b;
    float[][] pooled = new float[slices.size()][];
    int hidden = c.hiddenSize();
    long rowBytes = (long) k.elementBytes() * hidden;
    int[] logprobWords = anyLogprobs ? new int[total * DeviceSampling.LOGPROB_WORDS] : null;
    for (int from = 0; from < total; from += a.maxLogitRows) {
      int count = Math.min(a.maxLogitRows, total - from);
      long params = inBase + 4L * (in.layout().sampling() + (long) DeviceSampling.WORDS * from);
      if (!graphDone) {
        logits(inBase, in.layout(), from, count);
        sample(params, count);
      }
      d.copyToHostAsync(hostSampled, a.sampled, 4L * count, stream);
      boolean chunkLogprobs = false;
      for (int r = from; r < from + count; r++) chunkLogprobs |= deviceLogprobs[r];
      if (chunkLogprobs) {
        k.rowLogprobs(a.logits, count, vocab, params, DeviceSampling.WORDS, a.sampled, logprobRows(), stream);
        d.copyToHostAsync(hostLogprobRows, logprobRows, 4L * DeviceSampling.LOGPROB_WORDS * count, stream);
      }
      List<Integer> copied = new ArrayList<>();
      for (int r = from; r < from + count; r++) {
        if (!needHost[r]) continue;
        MemorySegment dst = hostLogits().asSlice(4L * vocab * copied.size(), 4L * vocab);
        d.copyToHostAsync(dst, a.logits + 4L * vocab * (r - from), 4L * vocab, stream);
        copied.add(r);
      }
      MemorySegment pooledRows = poolRows(slices, in, from, count, rowBytes);
      d.synchronize(stream);
      synced = System.nanoTime();
      takePooled(slices, in, from, count, pooledRows, pooled, hidden);
      for (int r = from; r < from + count; r++) sampled[r] = hostSampled.getAtIndex(ValueLayout.JAVA_INT, r - from);
      if (chunkLogprobs) {
        MemorySegment.copy(hostLogprobRows, ValueLayout.JAVA_INT, 0, logprobWords, DeviceSampling.LOGPROB_WORDS * from,
            DeviceSampling.LOGPROB_WORDS * count);
      }
      for (int i = 0; i < copied.size(); i++) {
        hostRows[copied.get(i)] = hostLogits().asSlice(4L * vocab * i, 4L * vocab).toArray(ValueLayout.JAVA_FLOAT);
      }
    }
    if (keepLogits) {
      lastLogits = new float[slices.size()][];
      for (int s = 0; s < slices.size(); s++) {
        if (slices.get(s).sample()) lastLogits[s] = hostRows[in.firstRow(s) + in.promptRows(s)];
      }
    }
    List<StepResult.SliceResult> out = new ArrayList<>(slices.size());
    for (int s = 0; s < slices.size(); s++) {
      StepResult.SliceResult r = sliceResult(slices.get(s), in, s, sampled, hostRows, deviceLogprobs, logprobWords);
      out.add(pooled[s] == null ? r
          : new StepResult.SliceResult(r.sampledToken(), r.sampledLogprobs(), r.promptLogprobs(), pooled[s]));
    }
    return new StepResult(out);
  }

  /**
   * Queues the copy of each pooling slice's row of the final norm's output (rows [from, from +
   * count) of this chunk) into host memory; null when the chunk has none.
   */
  private MemorySegment poolRows(List<SequenceSlice> slices, StepInputs in, int from, int count, long rowBytes) {
    MemorySegment host = null;
    for (int s = 0; s < slices.size(); s++) {
      int r = in.firstRow(s) + in.promptRows(s);
      if (!slices.get(s).pool() || r < from || r >= from + count) continue;
      if (host == null) host = Arena.ofAuto().allocate(rowBytes * count, 64);
      d.copyToHostAsync(host.asSlice(rowBytes * (r - from), rowBytes), a.normed + rowBytes * (r - from), rowBytes, stream);
    }
    return host;
  }

  /** After the chunk's copies completed: the pooled rows as f32. */
  private void takePooled(List<SequenceSlice> slices, StepInputs in, int from, int count, MemorySegment host,
      float[][] pooled, int hidden) {
    if (host == null) return;
    for (int s = 0; s < slices.size(); s++) {
      int r = in.firstRow(s) + in.promptRows(s);
      if (!slices.get(s).pool() || r < from || r >= from + count) continue;
      float[] v = new float[hidden];
      long base = (long) k.elementBytes() * hidden * (r - from);
      for (int i = 0; i < hidden; i++) {
        v[i] = f32 ? host.get(ValueLayout.JAVA_FLOAT_UNALIGNED, base + 4L * i)
            : Bf16.toFloat(host.get(ValueLayout.JAVA_SHORT_UNALIGNED, base + 2L * i));
      }
      pooled[s] = v;
    }
  }

  private long logprobRows() {
    if (logprobRows == 0) {
      logprobRows = d.malloc(4L * DeviceSampling.LOGPROB_WORDS * a.maxLogitRows);
      hostLogprobRows = d.mallocHost(4L * DeviceSampling.LOGPROB_WORDS * a.maxLogitRows);
    }
    return logprobRows;
  }

  private static StepResult.SliceResult sliceResult(SequenceSlice slice, StepInputs in, int s, int[] sampled, float[][] hostRows,
      boolean[] deviceLogprobs, int[] logprobWords) {
    SequenceSamplingState st = slice.sampling();
    int r0 = in.firstRow(s);
    List<TokenLogprobs> promptLps = new ArrayList<>();
    Integer k = st.params().promptLogprobs();
    for (int i = 0; i < in.promptRows(s); i++) {
      int token = st.promptToken(slice.startPosition() + i + 1);
      promptLps.add(hostRows[r0 + i] == null
          ? DeviceSampling.logprobs(logprobWords, DeviceSampling.LOGPROB_WORDS * (r0 + i), token, k)
          : Logprobs.of(hostRows[r0 + i], token, k == null ? 0 : k));
    }
    if (!slice.sample()) return new StepResult.SliceResult(-1, null, promptLps);
    int r = r0 + in.promptRows(s);
    if (hostRows[r] == null) {
      TokenLogprobs lp = deviceLogprobs[r]
          ? DeviceSampling.logprobs(logprobWords, DeviceSampling.LOGPROB_WORDS * r, sampled[r], st.params().logprobs())
          : null;
      return new StepResult.SliceResult(sampled[r], lp, promptLps);
    }
    Sampler.Sample sample = Sampler.sample(hostRows[r], st);
    return new StepResult.SliceResult(sample.tokenId(), sample.logprobs(), promptLps);
  }

  private MemorySegment hostLogits() {
    if (hostLogits == null) hostLogits = d.mallocHost(4L * a.maxLogitRows * c.vocabSize());
    return hostLogits;
  }

  private void dropGraphs() {
    if (graphs == null) return;
    for (long g : graphs.all()) d.destroyGraph(g);
    graphs.clear();
  }

  /**
   * Keeps each sampling slice's full logits from the next steps (copied back, sampled on the
   * CPU), for checks against reference models.
   */
  public void keepLogits(boolean on) {
    keepLogits = on;
  }

  /** The last step's logits of slice {@code s}, when {@link #keepLogits} was on. */
  public float[] lastLogits(int s) {
    return lastLogits[s];
  }

  /**
   * Median device time of one replay of the graph captured for {@code batch} sequences (its
   * inputs as the last step left them), to separate GPU time from host time per step.
   */
  public float graphReplayMillis(int batch, int reps) {
    d.setCurrent(context);
    long graph = graphs.graph(graphs.bucketFor(batch), b -> {
      throw new IllegalStateException("no graph captured for batch " + batch);
    });
    long start = d.createEvent(), stop = d.createEvent();
    float[] t = new float[reps];
    for (int i = 0; i < reps; i++) {
      d.record(start, stream);
      d.launchGraph(graph, stream);
      d.record(stop, stream);
      d.synchronizeEvent(stop);
      t[i] = d.elapsedMillis(start, stop);
    }
    java.util.Arrays.sort(t);
    return t[reps / 2];
  }

  /** Graph buckets captured so far (for tests and stats). */
  public int capturedGraphs() {
    return graphs == null ? 0 : graphs.captured();
  }

  @Override
  public void close() {
    d.setCurrent(context);
    d.synchronize(stream);
    dropGraphs();
    if (cache != null) cache.close();
    if (layerTable != 0) d.free(layerTable);
    d.free(gridBarrier);
    if (persistentTrace != 0) d.free(persistentTrace);
    a.close();
    if (sparse != null) sparse.close();
    if (latentAttention != null) latentAttention.close();
    w.close();
    gemm.close();
    d.free(invFreq);
    d.free(noRotation);
    if (localInvFreq != 0) d.free(localInvFreq);
    if (alibiSlopes != 0) d.free(alibiSlopes);
    d.free(deviceInput);
    if (graphInput != 0) d.free(graphInput);
    d.freeHost(hostInput);
    d.freeHost(hostSampled);
    if (hostLogits != null) d.freeHost(hostLogits);
    if (logprobRows != 0) {
      d.free(logprobRows);
      d.freeHost(hostLogprobRows);
    }
    if (samplingTables != null) samplingTables.close();
    model.close();
  }

  private static float[] toFloats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
    return f;
  }

  /**
   * Each layer's window as the attention kernels take it: its sliding window in tokens, minus the
   * chunk size on Llama 4's chunked layers (see first_key in common.cuh), 0 for full attention.
   */
  static int[] kernelWindows(LoadedModel model) {
    int[] windows = model.layerWindows();
    var chunked = model.config().chunkedAttention();
    for (int l = 0; l < windows.length; l++) if (chunked != null && chunked.appliesTo(l)) windows[l] = -chunked.chunkSize();
    return windows;
  }
}

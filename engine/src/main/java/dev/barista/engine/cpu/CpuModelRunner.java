package dev.barista.engine.cpu;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.Softcaps;
import dev.barista.engine.model.LayerWeights;
import dev.barista.engine.model.LoadedModel;
import dev.barista.engine.model.ModelWeights;
import dev.barista.engine.model.RopeFrequencies;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.Logprobs;
import dev.barista.engine.sampling.Sampler;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import dev.barista.engine.weights.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend: runs a batch of slices (prefill chunks and decode tokens of different
 * sequences) as one set of T token rows through every layer, with matrix-matrix products over the
 * stored weights, a paged f32 KV cache, and the backend-free sampler at the end.
 */
public final class CpuModelRunner implements ModelRunner {
  private final LoadedModel model;
  private final ModelConfig config;
  private final ModelWeights weights;
  private final List<LayerParams> layers = new ArrayList<>();
  private final float[] finalNorm;
  private final float[] finalNormBias;
  private final float[] lmHeadBias;
  private final float[] embeddingNorm;
  private final float[] embeddingNormBias;
  private final boolean layerNorm;
  /** HunYuan normalizes the rotated queries and keys; the others normalize before RoPE. */
  private final boolean normsAfterRope;
  private final float clipQkv;
  private final PagedAttention attention;
  private PagedKvCache cache;

  /** Small per-layer vectors widened to f32 once. */
  private record LayerParams(LayerWeights w, float[] inputNorm, float[] postNorm, float[] qNorm,
      float[] kNorm, float[] qBias, float[] kBias, float[] vBias, float[] oBias, float[] gateBias,
      float[] upBias, float[] downBias, float[] attentionOutputNorm, float[] mlpOutputNorm, float[] inputNormBias,
      float[] postNormBias, Rope rope, LatentProjections latent) {
    static LayerParams of(LayerWeights w, Rope rope, ModelConfig c) {
      return new LayerParams(w, f(w.inputNorm()), f(w.postAttentionNorm()), f(w.qNorm()),
          f(w.kNorm()), f(w.qBias()), f(w.kBias()), f(w.vBias()), f(w.oBias()), f(w.gateBias()),
          f(w.upBias()), f(w.downBias()), f(w.attentionOutputNorm()), f(w.mlpOutputNorm()), f(w.inputNormBias()),
          f(w.postAttentionNormBias()), rope,
          w.mla() == null ? null : new LatentProjections(c.mla(), w.mla(), c.numHeads(), c.rmsNormEps()));
    }

    static float[] f(Tensor t) {
      return t == null ? null : t.toFloatArray();
    }
  }

  public CpuModelRunner(LoadedModel model) {
    this.model = model;
    this.config = model.config();
    this.weights = model.weights();
    boolean interleaved = model.architecture().interleavedRope();
    int rotaryOffset = config.mla() == null ? 0 : config.mla().qkNopeHeadDim(); // latent attention rotates last
    Rope globalRope = new Rope(RopeFrequencies.rotary(config), config.headDim(), interleaved, rotaryOffset);
    for (int l = 0; l < config.numLayers(); l++) {
      boolean local = config.localRope() != null && config.localRope().appliesTo(l);
      Rope rope = local ? new Rope(RopeFrequencies.rotaryOfLayer(config, l), config.headDim(), interleaved, rotaryOffset)
          : globalRope;
      layers.add(LayerParams.of(weights.layers().get(l), rope, config));
    }
    this.finalNorm = weights.finalNorm().toFloatArray();
    this.finalNormBias = LayerParams.f(weights.finalNormBias());
    this.lmHeadBias = LayerParams.f(weights.lmHeadBias());
    this.embeddingNorm = LayerParams.f(weights.embeddingNorm());
    this.embeddingNormBias = LayerParams.f(weights.embeddingNormBias());
    this.layerNorm = model.architecture().layerNorm();
    this.normsAfterRope = model.architecture().qkNormAfterRope();
    this.clipQkv = (float) config.clipQkv();
    double scale = RopeFrequencies.attentionScale(config);
    this.attention = new PagedAttention(config.numHeads(), config.numKvHeads(), config.headDim(), config.valueHeadDim(),
        model.layerSpans(), (float) scale, (float) config.softcaps().attention(), layerSinks(weights),
        config.alibi() == null ? null : toFloats(config.alibi().scoreSlopes(scale)));
  }

  private static float[] toFloats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
    return f;
  }

  /** Each layer's attention sink logits in f32 (GPT-OSS), null for a layer without. */
  private static float[][] layerSinks(ModelWeights weights) {
    return weights.layers().stream().map(l -> LayerParams.f(l.sinks())).toArray(float[][]::new);
  }

  @Override
  public Tensor classifierHead() {
    return weights.classifier();
  }

  public LoadedModel model() {
    return model;
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public long kvCacheBytesPerBlock(int blockSize) {
    // latent attention stores its expanded per-head keys and values, not the compressed vector
    return PagedKvCache.bytesPerBlock(config.numLayers(), blockSize, config.kvDim(), config.valueDim());
  }

  @Override
  public void allocateKvCache(int numBlocks, int blockSize) {
    if (cache != null) cache.close();
    cache = new PagedKvCache(config.numLayers(), numBlocks, blockSize, config.kvDim(), config.valueDim());
  }

  @Override
  public void copyBlock(int src, int dst) {
    requireCache().copyBlock(src, dst);
  }

  private PagedKvCache requireCache() {
    if (cache == null) throw new IllegalStateException("allocateKvCache must be called before use");
    return cache;
  }

  @Override
  public StepResult execute(ForwardBatch batch) {
    PagedKvCache kv = requireCache();
    int tokens = batch.numTokens();
    if (tokens == 0) return new StepResult(List.of());
    int[] ids = new int[tokens];
    int[] positions = new int[tokens];
    int[][] tables = new int[tokens][];
    int t = 0;
    for (SequenceSlice s : batch.slices()) {
      for (int i = 0; i < s.tokenIds().length; i++, t++) {
        ids[t] = s.tokenIds()[i];
        positions[t] = s.startPosition() + i;
        tables[t] = s.blockTable();
        if (ids[t] < 0 || ids[t] >= config.vocabSize()) {
          throw new IllegalArgumentException("token id " + ids[t] + " outside the vocabulary");
        }
      }
    }
    float[] hidden = forward(kv, ids, positions, tables);
    return sampleAll(batch, hidden);
  }

  /** Runs every layer; returns the residual stream [tokens][hidden] before the final norm. */
  private float[] forward(PagedKvCache kv, int[] ids, int[] positions, int[][] tables) {
    int n = ids.length;
    int h = config.hiddenSize();
    int qDim = config.qDim();
    int kvDim = config.kvDim();
    int valueDim = config.valueDim();
    int inter = config.intermediateSize();
    float[] x = embed(ids, positions);
    float[] xn = new float[n * h];
    float[] q = new float[n * qDim];
    float[] k = new float[n * kvDim];
    float[] v = new float[n * valueDim];
    float[] att = new float[n * config.attentionOutputDim()];
    float[] gate = new float[n * inter];
    float[] up = new float[n * inter];
    // parallel residual (GPT-NeoX, Phi): the MLP's input is normed from the layer's input too
    float[] mlpIn = config.parallelResidual() ? new float[n * h] : xn;
    long[] slots = new long[n];
    for (int l = 0; l < layers.size(); l++) {
      LayerParams p = layers.get(l);
      LayerWeights w = p.w();
      norm(x, xn, n, p.inputNorm(), p.inputNormBias());
      if (config.parallelResidual()) norm(x, mlpIn, n, p.postNorm(), p.postNormBias());
      if (p.latent() != null) {
        p.latent().project(xn, n, q, k, v);
      } else {
        Matmul.multiplyAll(xn, n, List.of(
            new Matmul.Job(w.q(), p.qBias(), q, false),
            new Matmul.Job(w.k(), p.kBias(), k, false),
            new Matmul.Job(w.v(), p.vBias(), v, false)));
      }
      if (!normsAfterRope) normQk(p, q, k, n);
      if (clipQkv != 0) {
        for (float[] a : new float[][] {q, k, v}) clamp(a, clipQkv);
      }
      if (config.rotates(l)) {
        p.rope().apply(q, n, config.numHeads(), positions);
        p.rope().apply(k, n, config.numKvHeads(), positions);
      }
      if (normsAfterRope) normQk(p, q, k, n);
      if (config.attentionTemperature() != null && !config.rotates(l)) scaleQueriesByPosition(q, n, positions);
      for (int t = 0; t < n; t++) {
        if (l == 0) slots[t] = kv.slot(tables[t], positions[t]);
        kv.write(l, slots[t], k, t * kvDim, v, t * valueDim);
      }
      attention.compute(kv, l, q, n, positions, tables, att);
      addToResidual(att, n, w.o(), p.oBias(), p.attentionOutputNorm(), x, xn);
      if (!config.parallelResidual()) norm(x, xn, n, p.postNorm(), p.postNormBias());
      if (w.moe() != null) {
        MixtureOfExperts.addInto(mlpIn, n, h, config.moe(), w.moe(), config.activation(),
            (float) config.multipliers().residual(), x);
        continue;
      }
      if (w.gate() == null) { // an ungated MLP: down(act(fc1 x))
        Matmul.multiply(mlpIn, n, w.up(), p.upBias(), up, false);
        GatedActivation.apply(config.activation(), up, null, n * inter);
        addToResidual(up, n, w.down(), p.downBias(), p.mlpOutputNorm(), x, xn);
        continue;
      }
      Matmul.multiplyAll(mlpIn, n, List.of(
          new Matmul.Job(w.gate(), p.gateBias(), gate, false),
          new Matmul.Job(w.up(), p.upBias(), up, false)));
      GatedActivation.apply(config.activation(), gate, up, n * inter);
      addToResidual(gate, n, w.down(), p.downBias(), p.mlpOutputNorm(), x, xn);
    }
    return x;
  }

  /** The q/k norms, per head (Qwen3, Gemma 3) or over the whole projection (OLMo 2); none where the layer has none. */
  private void normQk(LayerParams p, float[] q, float[] k, int n) {
    if (p.qNorm() == null) return;
    int qWidth = p.qNorm().length;
    int kWidth = p.kNorm().length;
    RmsNorm.apply(q, q, n * config.qDim() / qWidth, qWidth, p.qNorm(), config.rmsNormEps());
    RmsNorm.apply(k, k, n * config.kvDim() / kWidth, kWidth, p.kNorm(), config.rmsNormEps());
  }

  /** Llama 4's temperature tuning on a layer that does not rotate: each token's queries times its position's factor. */
  private void scaleQueriesByPosition(float[] q, int n, int[] positions) {
    int qDim = config.qDim();
    for (int t = 0; t < n; t++) {
      float factor = (float) config.attentionTemperature().factor(positions[t]);
      for (int i = t * qDim; i < (t + 1) * qDim; i++) q[i] *= factor;
    }
  }

  /** OLMo's clip_qkv: every value into [-limit, limit]. */
  private static void clamp(float[] a, float limit) {
    for (int i = 0; i < a.length; i++) a[i] = Math.max(-limit, Math.min(limit, a[i]));
  }

  /**
   * x += (in · wᵀ + bias), normalized by {@code outputNorm} first where the layer has one (Gemma 2
   * and 3) and scaled by Granite's residual multiplier where it has one ({@code scratch}:
   * [tokens][hidden], free to overwrite).
   */
  private void addToResidual(float[] in, int n, Tensor w, float[] bias, float[] outputNorm, float[] x,
      float[] scratch) {
    float residual = (float) config.multipliers().residual();
    if (residual == 1f && outputNorm == null) {
      Matmul.multiply(in, n, w, bias, x, true);
      return;
    }
    Matmul.multiply(in, n, w, bias, scratch, false);
    if (outputNorm != null) RmsNorm.apply(scratch, scratch, n, config.hiddenSize(), outputNorm, config.rmsNormEps());
    for (int i = 0; i < n * config.hiddenSize(); i++) x[i] += scratch[i] * residual;
  }

  /**
   * Token embeddings (times Granite's or Gemma's multiplier), plus learned positions where the model
   * has them, LayerNorm-ed where it normalizes them (Bloom).
   */
  private float[] embed(int[] ids, int[] positions) {
    int h = config.hiddenSize();
    float[] x = new float[ids.length * h];
    Tensor e = weights.embedding();
    Tensor pe = weights.positionEmbedding();
    int offset = model.architecture().positionOffset();
    float embeddingMultiplier = (float) config.multipliers().embedding();
    for (int t = 0; t < ids.length; t++) {
      long base = (long) ids[t] * h;
      for (int i = 0; i < h; i++) x[t * h + i] = e.get(base + i) * embeddingMultiplier;
      if (pe != null) {
        long row = (long) (positions[t] + offset) * h;
        for (int i = 0; i < h; i++) x[t * h + i] += pe.get(row + i);
      }
    }
    if (embeddingNorm != null) LayerNorm.apply(x, x, ids.length, h, embeddingNorm, embeddingNormBias, config.rmsNormEps());
    return x;
  }

  /** The model's norm (RMSNorm, or LayerNorm with its bias) of n rows of hidden width; a copy where it has none (OLMo 2). */
  private void norm(float[] in, float[] out, int n, float[] weight, float[] bias) {
    if (weight == null) System.arraycopy(in, 0, out, 0, n * config.hiddenSize());
    else if (layerNorm) LayerNorm.apply(in, out, n, config.hiddenSize(), weight, bias, config.rmsNormEps());
    else RmsNorm.apply(in, out, n, config.hiddenSize(), weight, config.rmsNormEps());
  }

  /**
   * Computes logits only for the rows that need them (each slice's prompt-logprob positions, then
   * its last position when it samples) and turns them into the step's results.
   */
  private StepResult sampleAll(ForwardBatch batch, float[] hidden) {
    int h = config.hiddenSize();
    List<SequenceSlice> slices = batch.slices();
    int n = slices.size();
    int[] promptRows = new int[n];
    int[] rowBase = new int[n + 1];
    int[] tokenBase = new int[n + 1];
    for (int s = 0; s < n; s++) {
      SequenceSlice slice = slices.get(s);
      // position p predicts prompt token p + 1, which exists while p + 1 < promptLength
      promptRows[s] = slice.promptLogprobs()
          ? Math.max(0, Math.min(slice.endPosition(), slice.sampling().promptLength() - 1) - slice.startPosition())
          : 0;
      rowBase[s + 1] = rowBase[s] + promptRows[s] + (slice.sample() ? 1 : 0);
      tokenBase[s + 1] = tokenBase[s] + slice.tokenIds().length;
    }
    int rowCount = rowBase[n];
    float[] selected = new float[rowCount * h];
    for (int s = 0; s < n; s++) {
      int r = rowBase[s];
      for (int i = 0; i < promptRows[s]; i++) {
        System.arraycopy(hidden, (tokenBase[s] + i) * h, selected, (r++) * h, h);
      }
      if (slices.get(s).sample()) System.arraycopy(hidden, (tokenBase[s + 1] - 1) * h, selected, r * h, h);
    }
    norm(selected, selected, rowCount, finalNorm, finalNormBias);
    float[][] pooled = new float[n][];
    for (int s = 0; s < n; s++) {
      if (slices.get(s).pool()) {
        int r = rowBase[s] + promptRows[s];
        pooled[s] = Arrays.copyOfRange(selected, r * h, (r + 1) * h);
      }
    }
    int vocab = config.vocabSize();
    float[] logits = new float[rowCount * vocab];
    if (rowCount > 0) Matmul.multiply(selected, rowCount, weights.lmHead(), lmHeadBias, logits, false);
    float logitsScaling = (float) config.multipliers().logitsScaling();
    if (logitsScaling != 1f) {
      for (int i = 0; i < logits.length; i++) logits[i] /= logitsScaling;
    }
    float cap = (float) config.softcaps().finalLogits();
    if (cap != 0) {
      for (int i = 0; i < logits.length; i++) logits[i] = Softcaps.apply(logits[i], cap);
    }
    StepResult.SliceResult[] results = new StepResult.SliceResult[n];
    Parallel.forRange(n, 1, (from, to) -> {
      for (int s = from; s < to; s++) {
        results[s] = withPooled(sliceResult(slices.get(s), logits, rowBase[s], promptRows[s], vocab), pooled[s]);
      }
    });
    return new StepResult(Arrays.asList(results));
  }

  private static StepResult.SliceResult withPooled(StepResult.SliceResult r, float[] pooled) {
    return pooled == null ? r
        : new StepResult.SliceResult(r.sampledToken(), r.sampledLogprobs(), r.promptLogprobs(), pooled);
  }

  private static StepResult.SliceResult sliceResult(SequenceSlice slice, float[] logits, int row0,
      int promptRows, int vocab) {
    SequenceSamplingState st = slice.sampling();
    List<TokenLogprobs> promptLps = new ArrayList<>();
    Integer k = st.params().promptLogprobs();
    for (int i = 0; i < promptRows; i++) {
      float[] row = Arrays.copyOfRange(logits, (row0 + i) * vocab, (row0 + i + 1) * vocab);
      promptLps.add(Logprobs.of(row, st.promptToken(slice.startPosition() + i + 1), k == null ? 0 : k));
    }
    if (!slice.sample()) return new StepResult.SliceResult(-1, null, promptLps);
    int r = row0 + promptRows;
    Sampler.Sample sample = Sampler.sample(Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab), st);
    return new StepResult.SliceResult(sample.tokenId(), sample.logprobs(), promptLps);
  }

  @Override
  public void close() {
    if (cache != null) cache.close();
    model.close();
  }
}

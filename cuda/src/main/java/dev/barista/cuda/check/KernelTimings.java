package dev.barista.cuda.check;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.Transfers;
import dev.barista.cuda.kernels.AttentionSplit;
import dev.barista.cuda.kernels.FlashAttention;
import dev.barista.cuda.kernels.Gemv;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.kernels.RotaryTable;
import dev.barista.cuda.kernels.PrefillTiles;
import java.lang.foreign.Arena;
import dev.barista.cuda.runner.DeviceSampling;
import dev.barista.engine.config.Activation;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times what decides decode speed on the device: launch cost from Java, graph replay, the HBM
 * roofline (device-to-device copy), cuBLAS GEMV bandwidth and attention bandwidth. Medians of
 * event-timed repetitions after warm-up; inputs are random, never zeros.
 */
public final class KernelTimings {
  private final CudaDriver d;
  private final Kernels k;
  private final CuBlas blas;
  private final long stream;
  private final long start;
  private final long stop;
  private FlashAttention flash;

  public KernelTimings(CudaDriver d, Kernels k, CuBlas blas, long stream) {
    this.d = d;
    this.k = k;
    this.blas = blas;
    this.stream = stream;
    this.start = d.createEvent();
    this.stop = d.createEvent();
  }

  public List<String> runAll() {
    List<String> rows = new ArrayList<>();
    double bw = copyBandwidth(1L << 30);
    rows.add(String.format("hbm copy bandwidth (read+write)              %8.1f GB/s", bw));
    rows.add(launchCost());
    rows.add(graphReplayCost());
    rows.addAll(smallKernels());
    for (int[] s : new int[][] {{1, 1024, 4096}, {1, 1024, 6144}, {1, 3072, 1024}, {1, 1024, 151936},
        {1, 4096, 6144}, {1, 4096, 28672}, {1, 14336, 4096}, {1, 4096, 128256}, {64, 4096, 28672}, {256, 1024, 6144}}) {
      rows.add(gemm(s[0], s[1], s[2], bw));
    }
    // the fused GEMV kernels on the projections of a Qwen3-0.6B and a Llama-3.1-8B layer and on their
    // LM heads (after the persistent kernel), launched plainly and as programmatic dependent launches
    // (back to back, as in a decode graph)
    for (int[] s : new int[][] {{1, 1024, 4096, 1, 0}, {1, 2048, 1024, 0, 1}, {1, 1024, 3072, 1, 2}, {1, 3072, 1024, 0, 1},
        {8, 1024, 4096, 1, 0}, {1, 4096, 6144, 1, 0}, {1, 4096, 14336, 1, 2}, {1, 14336, 4096, 0, 1},
        {1, 1024, 151936, 1, 4}, {1, 4096, 128256, 1, 4}}) {
      for (boolean pdl : new boolean[] {false, true}) {
        rows.add(gemv(s[0], s[1], s[2], Gemv.Prologue.values()[s[3]], Gemv.Epilogue.values()[s[4]], bw, pdl));
      }
    }
    rows.addAll(qkvProjection(bw));
    // paged attention v1 (attention.cu) then v2 (decode_attention.cu) on each decode shape
    for (int[] s : new int[][] {{1, 640, 16, 8}, {1, 4096, 32, 8}, {32, 128, 16, 8}, {64, 640, 32, 8},
        {64, 640, 16, 8}, {128, 2048, 32, 8}, {256, 640, 16, 8}, {256, 4096, 16, 8}}) {
      rows.add(decodeAttention(s[0], s[1], s[2], s[3], bw, false, 40));
      rows.add(decodeAttention(s[0], s[1], s[2], s[3], bw, true, 40));
    }
    rows.add(prefillAttention(16, 512, 16, 8, true));
    rows.add(prefillFlashAttention(16, 512, 16, 8, true));
    rows.addAll(samplingTimings(256, 151936));
    return rows;
  }

  /** sample_rows_full over a decode batch of rows, per filter mix (the basic kernel beside it). */
  List<String> samplingTimings(int batch, int vocab) {
    long logits = d.malloc(4L * batch * vocab), out = d.malloc(4L * batch), params = d.malloc(4L * batch * DeviceSampling.WORDS);
    k.fillUniform(logits, 2L * batch * vocab, 5, 8f, stream); // bf16 pairs read as f32: finite, spread
    List<String> rows = new ArrayList<>();
    String[] names = {"temperature 1", "top_k 50", "top_p 0.9", "top_k 50 + top_p 0.9 + min_p 0.05", "greedy + repetition 1.2",
        "temperature 1 + logit_bias (bias row)", "temperature 1 + logprobs 5"};
    SamplingParams[] ps = {
      SamplingParams.builder().temperature(1).build(),
      SamplingParams.builder().temperature(1).topK(50).build(),
      SamplingParams.builder().temperature(1).topP(0.9).build(),
      SamplingParams.builder().temperature(1).topK(50).topP(0.9).minP(0.05).build(),
      SamplingParams.builder().temperature(0).repetitionPenalty(1.2).build(),
      SamplingParams.builder().temperature(1).logitBias(java.util.Map.of(7, 2.0)).build(),
      SamplingParams.builder().temperature(1).logprobs(5).build()};
    long counts = d.malloc(4L * vocab), bias = d.malloc(4L * vocab);
    d.memsetAsync(counts, (byte) 0, 4L * vocab, stream);
    d.memsetAsync(bias, (byte) 0, 4L * vocab, stream);
    int[] words = new int[batch * DeviceSampling.WORDS];
    for (int i = 0; i < ps.length; i++) {
      SequenceSamplingState st = SequenceSamplingState.create(ps[i], new int[] {1, 2, 3}, List.of(), vocab);
      for (int r = 0; r < batch; r++) {
        boolean slot = DeviceSampling.hasPenalties(ps[i]) || DeviceSampling.needsBiasRow(ps[i]);
        DeviceSampling.write(st, slot ? 0 : -1, words, r * DeviceSampling.WORDS);
      }
      dev.barista.cuda.driver.Transfers.write(d, params, words);
      rows.add(us("sample_rows_full " + batch + "x" + vocab + " " + names[i],
          time(() -> k.sampleRowsFull(logits, batch, vocab, params, counts, bias, out, stream), 5)));
    }
    // the last mix asks for logprobs: the kernel after sampling, on the rows just sampled
    long lp = d.malloc(4L * batch * DeviceSampling.LOGPROB_WORDS);
    rows.add(us("row_logprobs " + batch + "x" + vocab + " top 5",
        time(() -> k.rowLogprobs(logits, batch, vocab, params, DeviceSampling.WORDS, out, lp, stream), 5)));
    d.free(lp);
    d.free(bias);
    SequenceSamplingState plain = SequenceSamplingState.create(ps[0], new int[] {1}, List.of(), vocab);
    for (int r = 0; r < batch; r++) DeviceSampling.write(plain, -1, words, r * DeviceSampling.WORDS);
    dev.barista.cuda.driver.Transfers.write(d, params, words);
    rows.add(us("sample_rows (basic) " + batch + "x" + vocab + " temperature 1",
        time(() -> k.sampleRows(logits, batch, vocab, params, DeviceSampling.WORDS, out, stream), 5)));
    for (long p : new long[] {logits, out, params, counts}) d.free(p);
    return rows;
  }

  /**
   * Median device time of {@code work}, measured inside a CUDA graph of 20 repetitions so that
   * host launch gaps do not count (as in the runner's decode graphs).
   */
  float time(Runnable work, int reps) {
    int inner = 20;
    work.run();
    d.synchronize(stream);
    d.beginCapture(stream);
    for (int i = 0; i < inner; i++) work.run();
    long graph = d.endCaptureAndInstantiate(stream);
    d.launchGraph(graph, stream);
    d.synchronize(stream);
    float[] t = new float[reps];
    for (int i = 0; i < reps; i++) {
      d.record(start, stream);
      d.launchGraph(graph, stream);
      d.record(stop, stream);
      d.synchronizeEvent(stop);
      t[i] = d.elapsedMillis(start, stop) / inner;
    }
    d.destroyGraph(graph);
    Arrays.sort(t);
    return t[reps / 2];
  }

  /** The per-layer kernels of a batch-1 decode step of a Qwen3-0.6B-shaped layer. */
  List<String> smallKernels() {
    int hidden = 1024, nq = 16, nkv = 8, dim = 128, inter = 3072, vocab = 151936;
    long x = d.malloc(2L * hidden), res = d.malloc(4L * hidden), out = d.malloc(2L * hidden), w = d.malloc(2L * hidden);
    long qkv = d.malloc(2L * (nq + 2 * nkv) * dim), gu = d.malloc(4L * inter), act = d.malloc(2L * inter);
    long pos = dev.barista.cuda.driver.Transfers.upload(d, new int[] {100});
    long slot = dev.barista.cuda.driver.Transfers.upload(d, new int[] {5});
    long inv = dev.barista.cuda.driver.Transfers.upload(d, RotaryTable.single(new float[dim / 2]));
    long kc = d.malloc(2L * 64 * nkv * dim), vc = d.malloc(2L * 64 * nkv * dim);
    long logits = d.malloc(4L * vocab), params = d.malloc(12), ids = d.malloc(4);
    for (long p : new long[] {x, w, qkv, gu, kc, vc}) k.fillUniform(p, 512, 3, 1f, stream);
    d.memsetAsync(res, (byte) 0, 4L * hidden, stream);
    k.fillUniform(logits, 2L * vocab, 4, 1f, stream);
    d.memsetAsync(params, (byte) 0, 12, stream);
    d.memsetAsync(ids, (byte) 0, 4, stream);
    List<String> rows = new ArrayList<>();
    rows.add(us("add_rmsnorm 1x1024", time(() -> k.addRmsNorm(x, res, out, w, 0, 1, hidden, 1e-6f, true, true, stream), 20)));
    rows.add(us("qkv_prepare 1 token 16/8 D=128 qk-norm", time(() -> k.qkvPrepare(qkv, 0, w, w, 1e-6f, pos, inv, slot, kc, vc, 1, nq, nkv, dim, stream), 20)));
    rows.add(us("silu_mul 1x3072", time(() -> k.actMul(gu, act, 1, inter, Activation.SILU, stream), 20)));
    rows.add(us("embedding 1x1024", time(() -> k.embedding(ids, w, out, 1, hidden, stream), 20)));
    rows.add(us("sample_rows 1x151936 (greedy)", time(() -> k.sampleRows(logits, 1, vocab, params, 3, ids, stream), 20)));
    int[] fullParams = new int[DeviceSampling.WORDS];
    fullParams[5] = -1; // no penalty slot; word 0 (1/temperature) = 0: greedy
    long pFull = dev.barista.cuda.driver.Transfers.upload(d, fullParams);
    rows.add(us("sample_rows_full 1x151936 (greedy)", time(() -> k.sampleRowsFull(logits, 1, vocab, pFull, 0, 0, ids, stream), 20)));
    d.free(pFull);
    for (long p : new long[] {x, res, out, w, qkv, gu, act, pos, slot, inv, kc, vc, logits, params, ids}) d.free(p);
    return rows;
  }

  private static String us(String what, float ms) {
    return String.format("%-44s %8.2f us (in a graph)", what, ms * 1e3);
  }

  /** Device-to-device copy bandwidth (bytes read plus written), timed as hf_baseline.py does. */
  double copyBandwidth(long bytes) {
    long a = d.malloc(bytes), b = d.malloc(bytes);
    k.fillUniform(a, bytes / 2, 7, 1f, stream);
    for (int i = 0; i < 3; i++) d.copyDeviceAsync(b, a, bytes, stream);
    int reps = 20;
    d.record(start, stream);
    for (int i = 0; i < reps; i++) d.copyDeviceAsync(b, a, bytes, stream);
    d.record(stop, stream);
    d.synchronizeEvent(stop);
    float ms = d.elapsedMillis(start, stop) / reps;
    d.free(a);
    d.free(b);
    return 2.0 * bytes / (ms * 1e-3) / 1e9;
  }

  String launchCost() {
    long ids = d.malloc(4), table = d.malloc(2 * 64), out = d.malloc(2 * 64);
    d.memsetAsync(ids, (byte) 0, 4, stream);
    int n = 20000;
    for (int i = 0; i < 1000; i++) k.embedding(ids, table, out, 1, 64, stream);
    d.synchronize(stream);
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) k.embedding(ids, table, out, 1, 64, stream);
    d.synchronize(stream);
    double us = (System.nanoTime() - t0) / 1e3 / n;
    d.free(ids);
    d.free(table);
    d.free(out);
    return String.format("tiny kernel launch from Java, back to back   %8.2f us each", us);
  }

  String graphReplayCost() {
    long ids = d.malloc(4), table = d.malloc(2 * 64), out = d.malloc(2 * 64);
    d.memsetAsync(ids, (byte) 0, 4, stream);
    d.synchronize(stream);
    int kernels = 400;
    d.beginCapture(stream);
    for (int i = 0; i < kernels; i++) k.embedding(ids, table, out, 1, 64, stream);
    long graph = d.endCaptureAndInstantiate(stream);
    d.launchGraph(graph, stream);
    d.record(start, stream);
    for (int i = 0; i < 10; i++) d.launchGraph(graph, stream);
    d.record(stop, stream);
    d.synchronizeEvent(stop);
    float ms = d.elapsedMillis(start, stop) / 10;
    d.destroyGraph(graph);
    d.free(ids);
    d.free(table);
    d.free(out);
    return String.format("tiny kernel inside a CUDA graph               %8.2f us each", ms * 1e3 / kernels);
  }

  String gemm(int rows, int in, int out, double bw) {
    float ms = gemmMs(rows, in, out, CuBlas.R_16BF);
    double bytes = 2.0 * in * out + 2.0 * rows * (in + out);
    double gbs = bytes / (ms * 1e-3) / 1e9;
    return String.format("%s %4dx%5d·%6dx%5dᵀ  %8.1f us  %7.1f GB/s  %4.0f%% of copy bw",
        "cublas", rows, in, out, in, ms * 1e3, gbs, 100 * gbs / bw);
  }

  /** Median time of one cuBLAS {@code y = x · wᵀ} (bf16 in, {@code outType} out), weights rotated over 4 sets. */
  float gemmMs(int rows, int in, int out, int outType) {
    int sets = 4; // rotate weight sets so that L2 does not serve repeats
    long[] w = new long[sets];
    for (int i = 0; i < sets; i++) {
      w[i] = d.malloc(2L * in * out);
      k.fillUniform(w[i], (long) in * out, 11 + i, 0.05f, stream);
    }
    long x = d.malloc(2L * rows * in), y = d.malloc(4L * rows * out);
    k.fillUniform(x, (long) rows * in, 3, 1f, stream);
    int[] turn = {0};
    float ms = time(() -> blas.linear(x, w[turn[0]++ % sets], y, rows, in, out, outType, false), 40);
    for (long p : w) d.free(p);
    d.free(x);
    d.free(y);
    return ms;
  }

  /**
   * Where a large-batch decode step of a model shape goes, kernel by kernel as the runner launches
   * them past the fused-GEMV sizes (norm, QKV GEMM, q/k prepare, paged attention v2, O GEMM, norm,
   * gate/up GEMM, SiLU-and-mul, down GEMM per layer; final norm, LM head into f32 logits, greedy
   * sampling), each timed alone in a graph: the per-layer sum times the layers plus the rest, to
   * set beside a measured decode-graph replay (DecodeBench). Every sequence at context {@code ctx}.
   */
  public List<String> decodeStep(String name, int layers, int hidden, int nq, int nkv, int inter, int vocab, int batch,
      int ctx, double bw) {
    String label = String.format("%s B=%d ctx=%d", name, batch, ctx);
    float attention = attentionAsTheRunner(batch, ctx, nq, nkv);
    List<String> rows = new ArrayList<>();
    double layer = layerKernels(label, batch, ctx - 1, hidden, nq, nkv, inter, "attention (+ merge)", attention, bw, rows);
    float head = gemmMs(batch, hidden, vocab, CuBlas.R_32F);
    rows.add(String.format("%s: %-24s %8.1f us", label, "lm head gemm (f32 out)", head * 1e3));
    double kvBytes = 2.0 * 2 * batch * ctx * nkv * HEAD_DIM;
    rows.add(String.format("%s: attention %.0f%% of copy bw; %d layers + LM head %.2f ms (sampling, embedding and launch"
        + " gaps not counted)", label, 100 * kvBytes / (attention * 1e-3) / 1e9 / bw, layers, layers * layer + head));
    return rows;
  }

  /**
   * Where a prefill step of a model shape goes: {@code seqs} prompts of {@code len} tokens (the
   * scheduler's 8192-token budget in 16 prompts of 512), kernel by kernel as the runner launches
   * them (flash prefill for the attention), each timed alone in a graph.
   */
  public List<String> prefillStepBreakdown(String name, int layers, int hidden, int nq, int nkv, int inter, int seqs,
      int len, double bw) {
    String label = String.format("%s prefill %dx%d", name, seqs, len);
    float attention = prefillStep(seqs, len, nq, nkv, true, true);
    List<String> rows = new ArrayList<>();
    double layer = layerKernels(label, seqs * len, len - 1, hidden, nq, nkv, inter, "flash prefill attention", attention,
        bw, rows);
    rows.add(String.format("%s: %d layers %.2f ms (embedding, final norm, LM head of the sampled rows and launch gaps not"
        + " counted)", label, layers, layers * layer));
    return rows;
  }

  private static final int HEAD_DIM = 128;

  /**
   * A layer's kernels for {@code tokens} rows, each timed alone, as rows of {@code out}: the
   * element-wise ones with their share of copy bandwidth, the GEMMs with their rate; the
   * attention's time is given. Returns the layer's sum in ms.
   */
  private double layerKernels(String label, int tokens, int position, int hidden, int nq, int nkv, int inter,
      String attentionName, float attentionMs, double bw, List<String> out) {
    int dim = HEAD_DIM, qkvWidth = (nq + 2 * nkv) * dim;
    long x = d.malloc(2L * tokens * hidden), res = d.malloc(4L * tokens * hidden), normed = d.malloc(2L * tokens * hidden);
    long nw = d.malloc(2L * hidden), qkv = d.malloc(2L * tokens * qkvWidth);
    long gu = d.malloc(2L * tokens * 2 * inter), act = d.malloc(2L * tokens * inter);
    int[] posArr = new int[tokens], slotArr = new int[tokens];
    for (int t = 0; t < tokens; t++) {
      posArr[t] = position;
      slotArr[t] = t;
    }
    long pos = Transfers.upload(d, posArr), slots = Transfers.upload(d, slotArr);
    long inv = Transfers.upload(d, RotaryTable.single(new float[dim / 2]));
    long kc = d.malloc(2L * tokens * nkv * dim), vc = d.malloc(2L * tokens * nkv * dim);
    long[][] filled = {{x, (long) tokens * hidden}, {normed, (long) tokens * hidden}, {nw, hidden},
        {qkv, (long) tokens * qkvWidth}, {gu, 2L * tokens * inter}, {act, (long) tokens * inter}};
    for (long[] f : filled) k.fillUniform(f[0], f[1], 3, 1f, stream);
    d.memsetAsync(res, (byte) 0, 4L * tokens * hidden, stream);
    String[] names = {"add_rmsnorm", "qkv gemm", "qkv_prepare", attentionName, "o gemm", "add_rmsnorm",
        "gate/up gemm", "silu_mul", "down gemm"};
    // bytes the element-wise kernels must move: the norm reads x and the f32 residual and writes the
    // residual and its output; qkv_prepare reads and rewrites q and k and copies k and v into the
    // cache; SiLU-and-mul reads gate and up and writes their product (0: a GEMM or the attention)
    double normBytes = 12.0 * tokens * hidden;
    double[] bytes = {normBytes, 0, 2.0 * tokens * dim * (2 * (nq + nkv) + 4 * nkv), 0, 0, normBytes, 0, 6.0 * tokens * inter, 0};
    double[] flops = {0, 2.0 * tokens * hidden * qkvWidth, 0, 0, 2.0 * tokens * nq * dim * hidden, 0,
        2.0 * tokens * hidden * 2 * inter, 0, 2.0 * tokens * inter * hidden};
    float[] ms = {
      time(() -> k.addRmsNorm(x, res, normed, nw, 0, tokens, hidden, 1e-5f, true, true, stream), 20),
      gemmMs(tokens, hidden, qkvWidth, CuBlas.R_16BF),
      time(() -> k.qkvPrepare(qkv, 0, 0, 0, 1e-5f, pos, inv, slots, kc, vc, tokens, nq, nkv, dim, stream), 20),
      attentionMs,
      gemmMs(tokens, nq * dim, hidden, CuBlas.R_16BF),
      time(() -> k.addRmsNorm(x, res, normed, nw, 0, tokens, hidden, 1e-5f, true, true, stream), 20),
      gemmMs(tokens, hidden, 2 * inter, CuBlas.R_16BF),
      time(() -> k.actMul(gu, act, tokens, inter, Activation.SILU, stream), 20),
      gemmMs(tokens, inter, hidden, CuBlas.R_16BF)};
    for (long p : new long[] {x, res, normed, nw, qkv, gu, act, pos, slots, inv, kc, vc}) d.free(p);
    double layer = 0, gemmMs = 0, gemmFlops = 0, elementwiseMs = 0;
    for (int i = 0; i < ms.length; i++) {
      layer += ms[i];
      String rate = "";
      if (bytes[i] > 0) {
        elementwiseMs += ms[i];
        rate = String.format("  %4.0f%% of copy bw", 100 * bytes[i] / (ms[i] * 1e-3) / 1e9 / bw);
      } else if (flops[i] > 0) {
        gemmMs += ms[i];
        gemmFlops += flops[i];
        rate = String.format("  %4.0f TFLOP/s", flops[i] / (ms[i] * 1e-3) / 1e12);
      }
      out.add(String.format("%s: %-24s %8.1f us%s", label, names[i], ms[i] * 1e3, rate));
    }
    out.add(String.format("%s: a layer %.1f us (GEMMs %.1f us, %.0f TFLOP/s; element-wise kernels %.1f us)", label,
        layer * 1e3, gemmMs * 1e3, gemmFlops / (gemmMs * 1e-3) / 1e12, elementwiseMs * 1e3));
    return layer;
  }

  /**
   * One fused GEMV launch ({@link Gemv}) of {@code rows} tokens, weights rotated over 4 sets so that
   * L2 does not serve repeats; {@code pdl} launches them as programmatic dependent launches.
   */
  String gemv(int rows, int in, int out, Gemv.Prologue p, Gemv.Epilogue e, double bw, boolean pdl) {
    int sets = 4, wRows = e == Gemv.Epilogue.SILU ? 2 * out : out;
    long[] w = new long[sets];
    for (int i = 0; i < sets; i++) {
      w[i] = d.malloc(2L * in * wRows);
      k.fillUniform(w[i], (long) in * wRows, 11 + i, 0.05f, stream);
    }
    long x = d.malloc(2L * rows * in), h = d.malloc(4L * rows * in), nw = d.malloc(2L * in);
    long y = d.malloc((e == Gemv.Epilogue.LOGITS ? 4L : 2L) * rows * out), res = d.malloc(4L * rows * out);
    k.fillUniform(x, (long) rows * in, 3, 1f, stream);
    k.fillUniform(h, 2L * rows * in, 4, 1f, stream); // bf16 pairs read as f32: finite
    k.fillUniform(nw, in, 5, 1f, stream);
    d.memsetAsync(res, (byte) 0, 4L * rows * out, stream);
    boolean was = k.programmaticLaunches();
    k.programmaticLaunches(pdl);
    int[] turn = {0};
    float ms = time(() -> k.gemv(p, e, w[turn[0]++ % sets], in, out, x, h, nw, 1e-6f, rows, y, res, stream), 40);
    k.programmaticLaunches(was);
    for (long q : w) d.free(q);
    for (long q : new long[] {x, h, nw, y, res}) d.free(q);
    double bytes = 2.0 * in * wRows;
    double gbs = bytes / (ms * 1e-3) / 1e9;
    return String.format("gemv %-14s%s %dx%5d->%5d%s  %8.1f us  %7.1f GB/s  %4.0f%% of copy bw",
        p.name().toLowerCase() + "/" + e.name().toLowerCase(), pdl ? " pdl" : "    ", rows, in, out,
        e == Gemv.Epilogue.SILU ? "x2" : "  ", ms * 1e3, gbs, 100 * gbs / bw);
  }

  /**
   * A Qwen3-0.6B QKV projection of one token with its per-head work (q/k norm, RoPE, cache write),
   * as two launches (the GEMV, then qkv_prepare) and as one (the QKV epilogue), each back to back
   * with programmatic dependent launches as in a decode graph.
   */
  List<String> qkvProjection(double bw) {
    int hidden = 1024, nq = 16, nkv = 8, dim = 128, width = (nq + 2 * nkv) * dim, sets = 4;
    long[] w = new long[sets];
    for (int i = 0; i < sets; i++) {
      w[i] = d.malloc(2L * hidden * width);
      k.fillUniform(w[i], (long) hidden * width, 21 + i, 0.05f, stream);
    }
    long h = d.malloc(4L * hidden), nw = d.malloc(2L * hidden), y = d.malloc(2L * width), qn = d.malloc(2L * dim);
    long kc = d.malloc(2L * 64 * nkv * dim), vc = d.malloc(2L * 64 * nkv * dim), counts = d.malloc(4L * (nq + 2 * nkv));
    k.fillUniform(h, 2L * hidden, 4, 1f, stream);
    k.fillUniform(nw, hidden, 5, 1f, stream);
    k.fillUniform(qn, dim, 6, 1f, stream);
    d.memsetAsync(counts, (byte) 0, 4L * (nq + 2 * nkv), stream);
    long pos = Transfers.upload(d, new int[] {100}), slot = Transfers.upload(d, new int[] {5});
    long inv = Transfers.upload(d, RotaryTable.single(new float[dim / 2]));
    boolean was = k.programmaticLaunches();
    k.programmaticLaunches(true);
    int[] turn = {0};
    float two = time(() -> {
      k.gemv(Gemv.Prologue.NORM, Gemv.Epilogue.STORE, w[turn[0]++ % sets], hidden, width, 0, h, nw, 1e-6f, 1, y, 0, stream);
      k.qkvPrepare(y, 0, qn, qn, 1e-6f, pos, inv, slot, kc, vc, 1, nq, nkv, dim, stream);
    }, 40);
    var qa = new Gemv.QkvPrepare(0, qn, qn, pos, inv, slot, kc, vc, counts, nq, nkv, dim);
    float one = time(() -> k.gemv(Gemv.Prologue.NORM, Gemv.Epilogue.QKV, w[turn[0]++ % sets], hidden, width, 0, h, nw,
        1e-6f, 1, y, 0, qa, stream), 40);
    k.programmaticLaunches(was);
    for (long p : w) d.free(p);
    for (long p : new long[] {h, nw, y, qn, kc, vc, counts, pos, slot, inv}) d.free(p);
    return List.of(
        String.format("qkv 1x1024->4096 + qkv_prepare, two launches (pdl) %8.1f us", two * 1e3),
        String.format("qkv 1x1024->4096 with the QKV epilogue (pdl)      %8.1f us", one * 1e3));
  }

  /**
   * Attention of a whole prefill step: {@code seqs} prompts of {@code len} tokens, each token
   * attending causally to its prompt (one split). Reported as query-key pairs per second.
   */
  public String prefillAttention(int seqs, int len, int nq, int nkv, boolean timed) {
    float ms = prefillStep(seqs, len, nq, nkv, false, timed);
    double pairs = (double) seqs * len * (len + 1) / 2 * nq;
    return String.format("attention prefill %d x %d tokens %2d/%d D=128       %8.1f us  %.2e query-key pairs/s",
        seqs, len, nq, nkv, ms * 1e3, pairs / (ms * 1e-3));
  }

  /**
   * The same prefill step as {@link #prefillAttention} through the flash kernel (PrefillTiles of
   * each prompt): the old-vs-new comparison of one 8192-token step.
   */
  public String prefillFlashAttention(int seqs, int len, int nq, int nkv, boolean timed) {
    int dim = 128;
    float ms = prefillStep(seqs, len, nq, nkv, true, timed);
    double pairs = (double) seqs * len * (len + 1) / 2 * nq;
    // 2 GEMMs of 2 flops per multiply-add over the causal pairs
    return String.format("flash prefill %d x %d tokens %2d/%d D=128           %8.1f us  %.2e query-key pairs/s  %.0f TFLOP/s",
        seqs, len, nq, nkv, ms * 1e3, pairs / (ms * 1e-3), 4.0 * pairs * dim / (ms * 1e-3) / 1e12);
  }

  /**
   * The projections of an 8192-token prefill step (Llama-3.1-8B and Qwen3-0.6B shapes): cuBLAS's
   * time beside each algorithm cuBLASLt's heuristic offers (up to 8, best first), to see whether
   * timing the offers and taking the fastest would beat the heuristic's first choice.
   */
  public List<String> gemmOffers() {
    int[][] shapes = {{8192, 4096, 6144}, {8192, 4096, 4096}, {8192, 4096, 28672}, {8192, 14336, 4096},
        {8192, 1024, 4096}, {8192, 2048, 1024}, {8192, 1024, 6144}, {8192, 3072, 1024}};
    List<String> rows = new ArrayList<>();
    try (dev.barista.cuda.driver.CuBlasLt lt = new dev.barista.cuda.driver.CuBlasLt(d, stream)) {
      for (int[] sh : shapes) {
        int m = sh[0], in = sh[1], out = sh[2];
        double flops = 2.0 * m * in * out;
        long x = d.malloc(2L * m * in), w = d.malloc(2L * in * out), y = d.malloc(2L * m * out);
        k.fillUniform(x, (long) m * in, 3, 1f, stream);
        k.fillUniform(w, (long) in * out, 11, 0.05f, stream);
        float cublas = time(() -> blas.linear(x, w, y, m, in, out, CuBlas.R_16BF, false), 10);
        double[] offers = lt.timeOfferedAlgorithms(x, w, y, m, in, out, 8, r -> time(r, 10));
        StringBuilder sb = new StringBuilder();
        int best = -1;
        for (int i = 0; i < offers.length; i++) {
          sb.append(String.format(" #%d %.1f", i, offers[i] * 1e3));
          if (!Double.isNaN(offers[i]) && (best < 0 || offers[i] < offers[best])) best = i;
        }
        rows.add(String.format("gemm offers %dx%d->%d: cublas %.1f us (%.0f TFLOP/s); cublaslt offers (us):%s; fastest #%d"
                + " %.1f us (%.0f TFLOP/s, %.1f%% under cublas)", m, in, out, cublas * 1e3, flops / (cublas * 1e-3) / 1e12,
            sb, best, offers[best] * 1e3, flops / (offers[best] * 1e-3) / 1e12, 100 * (1 - offers[best] / cublas)));
        for (long p : new long[] {x, w, y}) d.free(p);
      }
    }
    return rows;
  }

  /**
   * The flash kernel on a 16 x 512-token prefill step of the Qwen3-0.6B (16/8 heads) and
   * Llama-3.1-8B (32/8) shapes, timed {@code rounds} times each, the shapes in turn: every time,
   * then the median, so that variants a few percent apart can be told from the noise of one timing.
   */
  public List<String> flashPrefillRepeated(int rounds) {
    int[][] shapes = {{16, 8}, {32, 8}};
    float[][] ms = new float[shapes.length][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < shapes.length; i++) ms[i][r] = prefillStep(16, 512, shapes[i][0], shapes[i][1], true, true);
    }
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      float[] sorted = ms[i].clone();
      Arrays.sort(sorted);
      StringBuilder all = new StringBuilder();
      for (float v : ms[i]) all.append(String.format(" %.1f", v * 1e3));
      rows.add(String.format("flash prefill 16 x 512 tokens %d/%d D=128: median %.1f us of%s", shapes[i][0], shapes[i][1],
          sorted[rounds / 2] * 1e3, all));
    }
    return rows;
  }

  /**
   * One prefill step of {@code seqs} prompts of {@code len} tokens (head dim 128, blocks of 16)
   * through the flash kernel or the paged one: its time in ms, or NaN when run once untimed.
   */
  private float prefillStep(int seqs, int len, int nq, int nkv, boolean viaFlash, boolean timed) {
    int dim = 128, blockSize = 16, blocksPerSeq = (len + blockSize - 1) / blockSize, tokens = seqs * len;
    long cacheElems = (long) seqs * blocksPerSeq * blockSize * nkv * dim;
    long kc = d.malloc(2 * cacheElems), vc = d.malloc(2 * cacheElems);
    k.fillUniform(kc, cacheElems, 5, 1f, stream);
    k.fillUniform(vc, cacheElems, 6, 1f, stream);
    int[] bt = new int[seqs * blocksPerSeq], seq = new int[tokens], pos = new int[tokens];
    for (int i = 0; i < bt.length; i++) bt[i] = i;
    for (int t = 0; t < tokens; t++) {
      seq[t] = t / len;
      pos[t] = t % len;
    }
    long pbt = Transfers.upload(d, bt);
    long pseq = Transfers.upload(d, seq);
    long ppos = Transfers.upload(d, pos);
    int qStride = (nq + 2 * nkv) * dim;
    long q = d.malloc(2L * tokens * qStride), out = d.malloc(2L * tokens * nq * dim);
    k.fillUniform(q, (long) tokens * qStride, 9, 1f, stream);
    var io = new Kernels.AttentionIo(q, qStride, kc, vc, pbt, blocksPerSeq, pseq, ppos, 0, 0, out, nq * dim);
    long ptiles = 0;
    Runnable run;
    if (viaFlash) {
      if (flash == null) flash = new FlashAttention(d, Arena.ofAuto());
      int[] sliceTokens = new int[seqs], starts = new int[seqs];
      Arrays.fill(sliceTokens, len);
      PrefillTiles plan = PrefillTiles.plan(sliceTokens, starts);
      long tiles = ptiles = Transfers.upload(d, plan.tiles());
      run = () -> flash.prefill(io, tiles, plan.numTiles(), blockSize, nq, nkv, dim, 0.088f, 0, stream);
    } else {
      AttentionSplit split = AttentionSplit.plan(len, tokens, nkv, 4 * 132, 1);
      run = () -> k.attention(io, tokens, blockSize, nq, nkv, dim, 0.088f, 0, split, stream);
    }
    float ms;
    if (timed) {
      ms = time(run, 10);
    } else {
      run.run();
      d.synchronize(stream);
      ms = Float.NaN;
    }
    for (long p : new long[] {kc, vc, pbt, pseq, ppos, q, out}) d.free(p);
    if (ptiles != 0) d.free(ptiles);
    return ms;
  }

  /**
   * One decode step's attention: {@code batch} sequences of {@code ctx} keys, Qwen3/Llama-like
   * heads of dim 128, splits as the runner plans them; median of {@code reps} launches through
   * paged attention v1 or v2, with its share of {@code bw} (0: not printed).
   */
  String decodeAttention(int batch, int ctx, int nq, int nkv, double bw, boolean v2, int reps) {
    boolean was = k.decodeAttentionV2();
    k.decodeAttentionV2(v2);
    int[] splits = new int[1];
    float ms = decodeAttentionMs(batch, ctx, nq, nkv, reps, splits);
    k.decodeAttentionV2(was);
    double bytes = 2.0 * 2 * batch * ctx * nkv * 128;
    double gbs = bytes / (ms * 1e-3) / 1e9;
    return String.format("attention decode %s B=%3d ctx=%5d %2d/%d D=128 splits=%2d %7.1f us %7.1f GB/s %4.0f%%",
        v2 ? "v2" : "v1", batch, ctx, nq, nkv, splits[0], ms * 1e3, gbs, bw > 0 ? 100 * gbs / bw : 0);
  }

  /** Decode attention through the version the runner takes by default ({@link dev.barista.cuda.kernels.DecodeAttention#requested}). */
  private float attentionAsTheRunner(int batch, int ctx, int nq, int nkv) {
    boolean was = k.decodeAttentionV2();
    k.decodeAttentionV2(dev.barista.cuda.kernels.DecodeAttention.requested());
    try {
      return decodeAttentionMs(batch, ctx, nq, nkv, 10, new int[1]);
    } finally {
      k.decodeAttentionV2(was);
    }
  }

  /** Median time of paged decode attention (the version switched on) with the runner's split plan; splits[0] gets the split count. */
  float decodeAttentionMs(int batch, int ctx, int nq, int nkv, int reps, int[] splits) {
    return decodeAttentionMs(batch, ctx, nq, nkv, reps, splits, 4 * 132);
  }

  /**
   * Decode attention of 256 sequences at context 576 (the throughput run's mean), Llama-3.1-8B's
   * and Qwen3-0.6B's heads, planned for 1 to 4 splits a (sequence, kv head) instead of the
   * runner's 1: each timed 7 times in turn (median), with its share of copy bandwidth.
   */
  public List<String> decodeAttentionSplitSweep(double bw) {
    int batch = 256, ctx = 576;
    int[][] shapes = {{32, 8}, {16, 8}};
    List<String> rows = new ArrayList<>();
    boolean was = k.decodeAttentionV2();
    k.decodeAttentionV2(dev.barista.cuda.kernels.DecodeAttention.requested()); // the version the runner takes
    for (int[] sh : shapes) {
      for (int want = 1; want <= 4; want++) {
        // the plan asks for 2 x targetBlocks blocks of batch x kv heads x splits
        int target = want * batch * sh[1] / 2;
        float[] t = new float[7];
        int[] splits = new int[1];
        for (int r = 0; r < t.length; r++) t[r] = decodeAttentionMs(batch, ctx, sh[0], sh[1], 10, splits, target);
        float[] sorted = t.clone();
        Arrays.sort(sorted);
        double bytes = 2.0 * 2 * batch * ctx * sh[1] * 128;
        rows.add(String.format("decode attention B=%d ctx=%d %d/%d D=128 splits=%d: median %.1f us (%.0f%% of copy bw)",
            batch, ctx, sh[0], sh[1], splits[0], sorted[3] * 1e3, 100 * bytes / (sorted[3] * 1e-3) / 1e9 / bw));
      }
    }
    k.decodeAttentionV2(was);
    return rows;
  }

  private float decodeAttentionMs(int batch, int ctx, int nq, int nkv, int reps, int[] splits, int targetBlocks) {
    int dim = 128, blockSize = 16, blocksPerSeq = (ctx + blockSize - 1) / blockSize;
    int numBlocks = batch * blocksPerSeq;
    long cacheElems = (long) numBlocks * blockSize * nkv * dim;
    long kc = d.malloc(2 * cacheElems), vc = d.malloc(2 * cacheElems);
    k.fillUniform(kc, cacheElems, 5, 1f, stream);
    k.fillUniform(vc, cacheElems, 6, 1f, stream);
    int[] bt = new int[numBlocks], seq = new int[batch], pos = new int[batch];
    for (int i = 0; i < numBlocks; i++) bt[i] = i;
    for (int b = 0; b < batch; b++) {
      seq[b] = b;
      pos[b] = ctx - 1;
    }
    long pbt = dev.barista.cuda.driver.Transfers.upload(d, bt);
    long pseq = dev.barista.cuda.driver.Transfers.upload(d, seq);
    long ppos = dev.barista.cuda.driver.Transfers.upload(d, pos);
    long q = d.malloc(2L * batch * nq * dim), out = d.malloc(2L * batch * nq * dim);
    k.fillUniform(q, (long) batch * nq * dim, 9, 1f, stream);
    AttentionSplit split = k.planAttention(ctx, batch, nkv, dim, targetBlocks, 64);
    splits[0] = split.splits();
    long acc = d.malloc(4L * batch * nq * split.splits() * dim), ml = d.malloc(8L * batch * nq * split.splits());
    var io = new Kernels.AttentionIo(q, nq * dim, kc, vc, pbt, blocksPerSeq, pseq, ppos, acc, ml, out, nq * dim);
    float ms = time(() -> k.attention(io, batch, blockSize, nq, nkv, dim, 0.088f, 0, split, stream), reps);
    for (long p : new long[] {kc, vc, pbt, pseq, ppos, q, out, acc, ml}) d.free(p);
    return ms;
  }
}

package dev.barista.cuda.check;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.runner.CudaModelRunner;
import dev.barista.cuda.runner.HostTimes;
import dev.barista.cuda.runner.DecodeSwitches;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.weights.DType;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Decode speed of the CUDA runner straight through ModelRunner (no scheduler): B sequences of
 * random prompts prefilled, then timed greedy decode steps; batch 1 against the HBM roofline
 * measured in the same process (device-to-device copy bandwidth over the bytes a decode step must
 * read). Usage: DecodeBench CONFIG_DIR [batches=1,64] [input=512] [output=128]
 */
public final class DecodeBench {
  private DecodeBench() {}

  /**
   * Untimed decode steps before the timed ones ({@code -Dbarista.bench.warmup}, default 3000): enough
   * for the JIT's optimising tier to compile the host side of a step, as in a server that has been
   * running. After 300, a Qwen3-0.6B step still spent ~20 us more on the host (docs/benchmarks.md,
   * session 9: 0.830-0.833 ms a step against 0.810-0.811, the same GPU time).
   */
  static final int WARMUP_STEPS = Integer.getInteger("barista.bench.warmup", 3000);

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int[] batches = Arrays.stream((args.length > 1 ? args[1] : "1,64").split(",")).mapToInt(Integer::parseInt).toArray();
    int input = args.length > 2 ? Integer.parseInt(args[2]) : 512;
    int output = args.length > 3 ? Integer.parseInt(args[3]) : 128;
    int maxBatch = Arrays.stream(batches).max().orElse(1);
    long t0 = System.nanoTime();
    var model = ModelLoader.loadModel(dir, new LoadOptions(dev.barista.engine.model.LoadFormat.DUMMY, DType.BF16, 0));
    long bytesPerToken = model.weights().bytesReadPerToken(model.config().moe() == null ? 0 : model.config().moe().topK());
    int blockSize = 16, blocksPerSeq = (input + output + blockSize - 1) / blockSize + 1;
    try (CudaModelRunner r = new CudaModelRunner(model, 8192, maxBatch, 2048)) {
      r.allocateKvCache(maxBatch * blocksPerSeq + 16, blockSize);
      System.out.printf("%s: weights %.2f GB on device, %.2f GB read per decode step, loaded in %.1f s%n",
          dir.getFileName(), r.weightBytes() / 1e9, bytesPerToken / 1e9, (System.nanoTime() - t0) / 1e9);
      double bw;
      CudaDriver d = CudaDriver.get();
      try (Arena arena = Arena.ofShared()) {
        long s = d.createStream();
        bw = new KernelTimings(d, new Kernels(d, arena), null, s).copyBandwidth(1L << 30);
      }
      double roofline = bw * 1e9 / bytesPerToken;
      System.out.printf("hbm copy bandwidth %.1f GB/s -> batch-1 decode roofline %.1f tok/s%n", bw, roofline);
      comparePersistent(r, input, blocksPerSeq);
      System.out.println("timed one-token steps through: " + (r.persistentDecode(DecodeSwitches.persistentDecode())
          ? "the persistent decode kernel" : r.fusedDecode(DecodeSwitches.fusedDecode()) ? "the fused GEMV kernels" : "cuBLAS"));
      for (int b : batches) {
        double tps = run(r, b, input, output, blocksPerSeq);
        System.out.printf("RESULT %s decode batch=%d in=%d out=%d: %.1f tok/s (%.3f ms/step)%s%n",
            dir.getFileName(), b, input, output, tps, 1e3 * b / tps,
            b == 1 ? String.format(", %.0f%% of roofline %.1f tok/s", 100 * tps / roofline, roofline) : "");
        System.out.printf("  batch=%d: GPU time of one decode-graph replay %.3f ms (rest of the step: host work)%n",
            b, r.graphReplayMillis(b, 20));
        long[] trace = b == 1 ? r.persistentTrace() : null;
        if (trace != null) {
          System.out.println(PersistentTraceReport.report(trace, r.persistentBlocks(), model.config().numLayers()));
        }
      }
      System.out.println("decode graphs captured: " + r.capturedGraphs());
    }
  }

  /**
   * The persistent decode kernel against the fused GEMV path on this model: one sequence of
   * {@code input} random tokens, then the same decode step (same position and cache slot) through
   * each; prints the logits' relative difference and whether the greedy tokens agree. Leaves the
   * runner's switch as it was.
   */
  static void comparePersistent(CudaModelRunner r, int input, int blocksPerSeq) {
    DecodeSwitches.Persistent was = DecodeSwitches.persistentDecode(); // the switch as the runner was made with it
    if (!r.persistentDecode(true)) {
      System.out.println("persistent decode: not taken on this GPU/model; no comparison");
      r.persistentDecode(was);
      return;
    }
    r.persistentDecode(false);
    int vocab = r.config().vocabSize();
    int[] prompt = new Random(7).ints(input, 0, vocab).toArray();
    int[] table = new int[blocksPerSeq];
    for (int j = 0; j < blocksPerSeq; j++) table[j] = j;
    SequenceSamplingState st = SequenceSamplingState.create(
        SamplingParams.builder().temperature(0.0).ignoreEos(true).build(), prompt, List.of(), vocab);
    int next = r.execute(new ForwardBatch(List.of(new SequenceSlice(st, prompt, 0, table, true, false)))).slices().get(0).sampledToken();
    r.keepLogits(true);
    // the same step through cuBLAS and separate kernels (fused off), the fused path, the persistent kernel
    float[][] logits = new float[3][];
    int[] tokens = new int[3];
    for (int i = 0; i < 3; i++) {
      r.fusedDecode(i > 0);
      r.persistentDecode(i == 2);
      var res = r.execute(new ForwardBatch(List.of(new SequenceSlice(st, new int[] {next}, input, table, true, false))));
      tokens[i] = res.slices().get(0).sampledToken();
      logits[i] = r.lastLogits(0);
    }
    r.keepLogits(false);
    r.fusedDecode(DecodeSwitches.fusedDecode());
    r.persistentDecode(was);
    System.out.printf("RESULT persistent vs fused decode step at context %d: logits rel diff %.2e, greedy %d vs %d (%s);"
            + " fused vs unfused (the noise of a changed summation order): %.2e%n",
        input + 1, relDiff(logits[2], logits[1]), tokens[2], tokens[1], tokens[1] == tokens[2] ? "same" : "DIFFERENT",
        relDiff(logits[1], logits[0]));
  }

  /** ||a - b|| / ||b||. */
  static double relDiff(float[] a, float[] b) {
    double num = 0, den = 0;
    for (int i = 0; i < b.length; i++) {
      double dlt = a[i] - b[i];
      num += dlt * dlt;
      den += (double) b[i] * b[i];
    }
    return Math.sqrt(num / den);
  }

  /** Prefills b random prompts (chunked by 8192 tokens), then times {@code output} decode steps. */
  static double run(CudaModelRunner r, int b, int input, int output, int blocksPerSeq) {
    Random rnd = new Random(b);
    int vocab = r.config().vocabSize();
    List<SequenceSamplingState> states = new ArrayList<>();
    List<int[]> tables = new ArrayList<>();
    int[] last = new int[b];
    List<SequenceSlice> pending = new ArrayList<>();
    int tokens = 0;
    long p0 = System.nanoTime();
    for (int i = 0; i < b; i++) {
      int[] prompt = rnd.ints(input, 0, vocab).toArray();
      SequenceSamplingState st = SequenceSamplingState.create(
          SamplingParams.builder().temperature(0.0).ignoreEos(true).build(), prompt, List.of(), vocab);
      int[] table = new int[blocksPerSeq];
      for (int j = 0; j < blocksPerSeq; j++) table[j] = i * blocksPerSeq + j;
      states.add(st);
      tables.add(table);
      if (tokens + input > 8192) {
        collect(r.execute(new ForwardBatch(pending)), last, i - pending.size());
        pending.clear();
        tokens = 0;
      }
      pending.add(new SequenceSlice(st, prompt, 0, table, true, false));
      tokens += input;
    }
    collect(r.execute(new ForwardBatch(pending)), last, b - pending.size());
    System.out.printf("  batch=%d: prefill of %d x %d tokens (8192 per step) %.1f ms, %.0f tokens/s%n",
        b, b, input, (System.nanoTime() - p0) / 1e6, b * (double) input / ((System.nanoTime() - p0) / 1e9));
    // warm-up, not timed: the first step captures the bucket's graph; the rest let the JIT compile
    // the host side of a step (as in a server that has been running), all at the first decode
    // position, so the timed steps still see contexts of input + 1 to input + output - 1
    for (int i = 0; i < WARMUP_STEPS; i++) decodeStep(r, states, tables, last, input);
    r.hostTimes().reset();
    long t = System.nanoTime();
    for (int s = 1; s < output; s++) decodeStep(r, states, tables, last, input + s);
    double sec = (System.nanoTime() - t) / 1e9;
    if (r.hostTimes().steps() > 0) {
      double[] h = r.hostTimes().meansUs();
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < h.length; i++) sb.append(String.format("%s%s %.1f us", i == 0 ? "" : ", ", HostTimes.PARTS[i], h[i]));
      System.out.printf("  batch=%d: host time of a replayed step: %s (means over %d steps)%n", b, sb, r.hostTimes().steps());
    }
    return b * (output - 1) / sec;
  }

  private static void decodeStep(CudaModelRunner r, List<SequenceSamplingState> states, List<int[]> tables, int[] last, int pos) {
    List<SequenceSlice> dec = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      dec.add(new SequenceSlice(states.get(i), new int[] {last[i]}, pos, tables.get(i), true, false));
    }
    collect(r.execute(new ForwardBatch(dec)), last, 0);
  }

  private static void collect(dev.barista.engine.runner.StepResult res, int[] last, int offset) {
    for (int i = 0; i < res.slices().size(); i++) last[offset + i] = res.slices().get(i).sampledToken();
  }
}

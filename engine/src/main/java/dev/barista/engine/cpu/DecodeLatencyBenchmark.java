package dev.barista.engine.cpu;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Batch-1 latency: load time, prefill time, and decode tokens/s of one sequence, next to the
 * memory-bandwidth roofline (weight bytes read per token / measured read bandwidth).
 */
public final class DecodeLatencyBenchmark {

  /** What was measured; times in seconds, medians over the iterations. */
  public record Result(double loadSeconds, double prefillSeconds, double decodeTokensPerSecond,
      double[] decodeTokensPerSecondRuns, long weightBytesPerToken, double bandwidthBytesPerSecond,
      double medianBandwidthBytesPerSecond, double bandwidthPerCoreSecond,
      double rooflineTokensPerSecond, int threads, double decodeCpuShare) {}

  private DecodeLatencyBenchmark() {}

  /**
   * @param batch sequences decoded together (1 for the latency roofline; more shows what the
   *     matrix-matrix kernels gain when each step reads the weights once for every sequence)
   * @param bandwidthBufferBytes buffer of the bandwidth measurement: far larger than the
   *     last-level cache, so that reads come from DRAM
   */
  public static Result run(Path modelDir, LoadOptions options, int batch, int inputLen,
      int outputLen, int iterations, long bandwidthBufferBytes) {
    long t0 = System.nanoTime();
    CpuModelRunner loaded = ModelLoader.load(modelDir, options);
    double load = (System.nanoTime() - t0) / 1e9;
    try (CpuModelRunner runner = loaded; MemoryBandwidth memory = new MemoryBandwidth(bandwidthBufferBytes)) {
      int blockSize = 16;
      int perSequence = (inputLen + outputLen) / blockSize + 1;
      runner.allocateKvCache(batch * perSequence, blockSize);
      int[][] tables = new int[batch][perSequence];
      for (int b = 0; b < batch; b++) Arrays.setAll(tables[b], i -> i);
      for (int b = 0; b < batch; b++) for (int i = 0; i < perSequence; i++) tables[b][i] += b * perSequence;
      int vocab = runner.config().vocabSize();
      Random rnd = new Random(1);
      int[][] prompts = new int[batch][];
      for (int b = 0; b < batch; b++) prompts[b] = rnd.ints(inputLen, 0, vocab).toArray();
      SamplingParams greedy = SamplingParams.builder().temperature(0).ignoreEos(true).maxTokens(null).build();
      double[] prefill = new double[iterations + 1];
      double[] decode = new double[iterations + 1];
      double[] cpuShare = new double[iterations + 1];
      double[] bandwidth = new double[iterations + 2];
      double[] bandwidthPerCore = new double[iterations + 2];
      for (int it = 0; it <= iterations; it++) { // iteration 0 warms up the JIT
        // Bandwidth between runs, so it sees the same load from other processes as decode.
        long b0 = System.nanoTime();
        long bc = processCpuNanos();
        bandwidth[it] = memory.measure(3);
        bandwidthPerCore[it] = bandwidth[it] / ((processCpuNanos() - bc) / (double) (System.nanoTime() - b0));
        SequenceSamplingState[] states = new SequenceSamplingState[batch];
        for (int b = 0; b < batch; b++) {
          states[b] = SequenceSamplingState.create(greedy, prompts[b], List.of(), vocab);
        }
        long p0 = System.nanoTime();
        int[] next = step(runner, states, prompts, 0, tables);
        prefill[it] = (System.nanoTime() - p0) / 1e9;
        long d0 = System.nanoTime();
        long c0 = processCpuNanos();
        for (int i = 0; i < outputLen; i++) {
          int[][] ids = new int[batch][];
          for (int b = 0; b < batch; b++) ids[b] = new int[] {next[b]};
          next = step(runner, states, ids, inputLen + i, tables);
        }
        long wall = System.nanoTime() - d0;
        decode[it] = (double) batch * outputLen / (wall / 1e9);
        cpuShare[it] = (processCpuNanos() - c0) / (double) wall;
      }
      bandwidth[iterations + 1] = memory.measure(3);
      double[] runs = Arrays.copyOfRange(decode, 1, decode.length);
      long bytes = runner.model().weights().bytesReadPerToken(runner.model().config().moe() == null ? 0 : runner.model().config().moe().topK());
      // The roofline takes the best bandwidth seen before or after any run: other processes only
      // ever lower it, so the best is the closest to what the memory system can deliver.
      double[] measured = Arrays.copyOfRange(bandwidth, 1, bandwidth.length);
      double bw = Arrays.stream(measured).max().orElseThrow();
      return new Result(load, median(Arrays.copyOfRange(prefill, 1, prefill.length)), median(runs),
          runs, bytes, bw, median(measured),
          median(Arrays.copyOfRange(bandwidthPerCore, 1, iterations + 1)), bw / bytes, Parallel.THREADS,
          median(Arrays.copyOfRange(cpuShare, 1, cpuShare.length)));
    }
  }

  /** One engine step over every sequence; returns and records each sampled token. */
  private static int[] step(CpuModelRunner runner, SequenceSamplingState[] states, int[][] ids,
      int start, int[][] tables) {
    List<SequenceSlice> slices = new java.util.ArrayList<>();
    for (int b = 0; b < states.length; b++) {
      slices.add(new SequenceSlice(states[b], ids[b], start, tables[b], true, false));
    }
    List<dev.barista.engine.runner.StepResult.SliceResult> results =
        runner.execute(new ForwardBatch(slices)).slices();
    int[] tokens = new int[states.length];
    for (int b = 0; b < states.length; b++) {
      tokens[b] = results.get(b).sampledToken();
      states[b].appendOutput(tokens[b]);
    }
    return tokens;
  }

  /** CPU time of this process, to show how much of the cores a shared machine left us. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}

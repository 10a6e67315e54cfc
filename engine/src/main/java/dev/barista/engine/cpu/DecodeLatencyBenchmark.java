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
      double rooflineTokensPerSecond, int threads, double decodeCpuShare) {}

  /** Far larger than the last-level cache (32 MB here), so reads come from DRAM. */
  private static final long BANDWIDTH_BUFFER = 512L << 20;

  private DecodeLatencyBenchmark() {}

  public static Result run(Path modelDir, LoadOptions options, int inputLen, int outputLen,
      int iterations) {
    long t0 = System.nanoTime();
    CpuModelRunner loaded = ModelLoader.load(modelDir, options);
    double load = (System.nanoTime() - t0) / 1e9;
    try (CpuModelRunner runner = loaded; MemoryBandwidth memory = new MemoryBandwidth(BANDWIDTH_BUFFER)) {
      int blockSize = 16;
      int blocks = (inputLen + outputLen) / blockSize + 2;
      runner.allocateKvCache(blocks, blockSize);
      int[] table = new int[blocks];
      Arrays.setAll(table, i -> i);
      int vocab = runner.config().vocabSize();
      int[] prompt = new Random(1).ints(inputLen, 0, vocab).toArray();
      SamplingParams greedy = SamplingParams.builder().temperature(0).ignoreEos(true).maxTokens(null).build();
      double[] prefill = new double[iterations + 1];
      double[] decode = new double[iterations + 1];
      double[] cpuShare = new double[iterations + 1];
      double[] bandwidth = new double[iterations + 1];
      for (int it = 0; it <= iterations; it++) { // iteration 0 warms up the JIT
        // Bandwidth right before each run, so both see the same load from other processes.
        bandwidth[it] = memory.measure(3);
        SequenceSamplingState st = SequenceSamplingState.create(greedy, prompt, List.of(), vocab);
        long p0 = System.nanoTime();
        int next = step(runner, st, prompt, 0, table);
        prefill[it] = (System.nanoTime() - p0) / 1e9;
        long d0 = System.nanoTime();
        long c0 = processCpuNanos();
        for (int i = 0; i < outputLen; i++) next = step(runner, st, new int[] {next}, inputLen + i, table);
        long wall = System.nanoTime() - d0;
        decode[it] = outputLen / (wall / 1e9);
        cpuShare[it] = (processCpuNanos() - c0) / (double) wall;
      }
      double[] runs = Arrays.copyOfRange(decode, 1, decode.length);
      long bytes = runner.model().weights().bytesReadPerToken();
      double bw = median(Arrays.copyOfRange(bandwidth, 1, bandwidth.length));
      return new Result(load, median(Arrays.copyOfRange(prefill, 1, prefill.length)), median(runs),
          runs, bytes, bw, bw / bytes, Parallel.THREADS,
          median(Arrays.copyOfRange(cpuShare, 1, cpuShare.length)));
    }
  }

  private static int step(CpuModelRunner runner, SequenceSamplingState st, int[] ids, int start,
      int[] table) {
    int token = runner.execute(new ForwardBatch(List.of(
        new SequenceSlice(st, ids, start, table, true, false)))).slices().get(0).sampledToken();
    st.appendOutput(token);
    return token;
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

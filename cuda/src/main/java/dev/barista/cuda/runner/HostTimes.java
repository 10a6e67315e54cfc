package dev.barista.cuda.runner;

/**
 * Where the host's time goes in graph-replayed steps (for DecodeBench): packing the inputs, their
 * copy call, the penalty updates and the graph lookup, the graph launch call, the wait for the
 * stream (the GPU's work and the copy out), and turning the sampled tokens into results. Sums in
 * nanoseconds since the last {@link #reset}.
 */
public final class HostTimes {
  public static final String[] PARTS = {"pack", "copy in", "penalties and graph lookup", "graph launch", "wait for the stream", "results"};
  private final long[] sums = new long[PARTS.length];
  private int steps;

  /** One step's times: {@code stamps} are System.nanoTime() at the start and after each part. */
  void add(long... stamps) {
    for (int i = 0; i < sums.length; i++) sums[i] += stamps[i + 1] - stamps[i];
    steps++;
  }

  public void reset() {
    java.util.Arrays.fill(sums, 0);
    steps = 0;
  }

  public int steps() {
    return steps;
  }

  /** The mean per step of each part, in microseconds. */
  public double[] meansUs() {
    double[] m = new double[sums.length];
    for (int i = 0; i < m.length; i++) m[i] = sums[i] / (Math.max(1, steps) * 1e3);
    return m;
  }
}

package dev.barista.server.bench;

import java.util.Arrays;

/** Mean and linear-interpolated percentiles (as numpy.percentile) of a sample. */
public final class Percentiles {
  private final double[] sorted;

  public Percentiles(double[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  public double mean() {
    if (sorted.length == 0) return 0;
    double s = 0;
    for (double v : sorted) s += v;
    return s / sorted.length;
  }

  /** p in [0, 100]. */
  public double percentile(double p) {
    if (sorted.length == 0) return 0;
    double rank = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }
}

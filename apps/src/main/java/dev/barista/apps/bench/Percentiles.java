package dev.barista.apps.bench;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
public final class Percentiles {
  private final double[] sorted;

  public Percentiles(double[] values) {
    sorted = values.clone();
    Arrays.sort(sorted);
  }

  public double at(double p) {
    if (sorted.length == 0) return Double.NaN;
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)];
  }
}

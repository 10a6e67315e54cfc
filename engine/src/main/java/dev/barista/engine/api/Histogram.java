package dev.barista.engine.api;

import java.util.Arrays;

/**
 * A Prometheus-style histogram snapshot.
 *
 * @param upperBounds bucket upper bounds in seconds, ascending (the +Inf bucket is implied)
 * @param bucketCounts observations per bucket, not cumulative; one more entry than {@code
 *     upperBounds}, the last for +Inf
 * @param sum sum of all observations
 * @param count number of observations
 */
public record Histogram(double[] upperBounds, long[] bucketCounts, double sum, long count) {

  public static Histogram empty(double[] upperBounds) {
    return new Histogram(upperBounds.clone(), new long[upperBounds.length + 1], 0, 0);
  }

  /** Observations at or below {@code upperBounds[i]} (Prometheus' cumulative "le" count). */
  public long cumulativeCount(int i) {
    long c = 0;
    for (int b = 0; b <= i; b++) c += bucketCounts[b];
    return c;
  }

  /** Index of the bucket an observation falls in (the last one is +Inf). */
  public int bucketOf(double value) {
    int i = Arrays.binarySearch(upperBounds, value);
    return i >= 0 ? i : -i - 1;
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.Histogram;

/** Accumulates observations into fixed buckets on the engine thread; snapshots are immutable. */
final class LatencyRecorder {
  private final Histogram shape;
  private final long[] counts;
  private double sum;
  private long count;

  LatencyRecorder(double[] upperBounds) {
    shape = Histogram.empty(upperBounds);
    counts = new long[upperBounds.length + 1];
  }

  void add(double seconds) {
    counts[shape.bucketOf(seconds)]++;
    sum += seconds;
    count++;
  }

  Histogram snapshot() {
    return new Histogram(shape.upperBounds(), counts.clone(), sum, count);
  }
}

package dev.barista.server.metrics;

/** A Prometheus histogram: cumulative bucket counts by upper bound, plus sum and count. */
public final class Histogram {
  private final double[] bounds;
  private final long[] counts;
  private double sum;
  private long count;

  public Histogram(double... bounds) {
    this.bounds = bounds.clone();
    this.counts = new long[bounds.length];
  }

  public synchronized void observe(double value) {
    for (int i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) counts[i]++;
    }
    sum += value;
    count++;
  }

  /** Appends the _bucket, _sum and _count lines in the text format. */
  public synchronized void write(StringBuilder out, String name, String labels) {
    for (int i = 0; i < bounds.length; i++) {
      out.append(name).append("_bucket{").append(labels).append(",le=\"")
          .append(PrometheusText.number(bounds[i])).append("\"} ").append(counts[i]).append('\n');
    }
    out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count)
        .append('\n');
    out.append(name).append("_sum{").append(labels).append("} ")
        .append(PrometheusText.number(sum)).append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(count).append('\n');
  }
}

package dev.barista.apps.spec;

import java.time.Duration;

/** Replicas (min..max), how long without requests before scaling down, and the metric to scale on. */
public record Scaling(int minReplicas, int maxReplicas, Duration scaledownAfter, ScalingMetric metric) {
  public static final Scaling DEFAULT =
      new Scaling(0, 1, Duration.ofMinutes(15), new ScalingMetric.Concurrency(100));

  public Scaling {
    if (minReplicas < 0)
      throw new AppValidationException("scaling.replicas", "min must be >= 0, got " + minReplicas);
    if (maxReplicas < 1)
      throw new AppValidationException("scaling.replicas", "max must be >= 1, got " + maxReplicas);
    if (minReplicas > maxReplicas)
      throw new AppValidationException(
          "scaling.replicas", "min (" + minReplicas + ") > max (" + maxReplicas + ")");
    if (scaledownAfter == null) scaledownAfter = DEFAULT.scaledownAfter;
    if (scaledownAfter.isNegative())
      throw new AppValidationException("scaling.scaledown_after", "must not be negative");
    if (metric == null) metric = DEFAULT.metric;
  }

  public static Scaling replicas(int min, int max) {
    return new Scaling(min, max, null, null);
  }

  public Scaling withScaledownAfter(Duration d) {
    return new Scaling(minReplicas, maxReplicas, d, metric);
  }

  public Scaling withMetric(ScalingMetric m) {
    return new Scaling(minReplicas, maxReplicas, scaledownAfter, m);
  }
}

package dev.barista.apps.spec;

/** What the autoscaler targets per replica. */
public sealed interface ScalingMetric {
  int target();

  /** Requests in flight per replica (queued ones count too). */
  record Concurrency(int target) implements ScalingMetric {
    public Concurrency {
      positive(target);
    }
  }

  /** Requests per second per replica. */
  record RequestRate(int target) implements ScalingMetric {
    public RequestRate {
      positive(target);
    }
  }

  private static void positive(int target) {
    if (target < 1) throw new AppValidationException("scaling.metric", "target must be at least 1, got " + target);
  }
}

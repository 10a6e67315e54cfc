package dev.barista.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.apps.runtime.Autoscaler;
import dev.barista.apps.spec.Scaling;
import dev.barista.apps.spec.ScalingMetric;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
  private static Autoscaler concurrency(int min, int max, int target, int scaledownSeconds) {
    return new Autoscaler(new Scaling(min, max, Duration.ofSeconds(scaledownSeconds), new ScalingMetric.Concurrency(target)));
  }

  @Test
  void idleAppWithMinZeroWantsNoReplica() {
    assertEquals(0, concurrency(0, 2, 1, 10).desired(0, 0, 0, 0));
  }

  @Test
  void aQueuedRequestScalesFromZeroToOne() {
    assertEquals(1, concurrency(0, 2, 10, 10).desired(0, 0, 1, 0));
  }

  @Test
  void concurrencyAboveTargetScalesUpToMaxAtOnce() {
    Autoscaler a = concurrency(0, 2, 1, 10);
    assertEquals(2, a.desired(0, 2, 0, 0));
    assertEquals(2, concurrency(0, 2, 1, 10).desired(0, 7, 3, 0)); // clamped to max
    assertEquals(2, concurrency(0, 5, 4, 10).desired(0, 5, 0, 0)); // ceil(5 / 4)
  }

  @Test
  void keepsReplicasUntilScaledownAfterPassesWithoutLoad() {
    Autoscaler a = concurrency(0, 2, 1, 10);
    assertEquals(2, a.desired(0, 2, 0, 0));
    assertEquals(2, a.desired(5_000, 0, 0, 0));
    assertEquals(2, a.desired(9_999, 0, 0, 0));
    assertEquals(0, a.desired(10_001, 0, 0, 0));
  }

  @Test
  void scalesDownStepwiseAsTheWindowForgetsPeaks() {
    Autoscaler a = concurrency(0, 3, 1, 10);
    assertEquals(3, a.desired(0, 3, 0, 0));
    assertEquals(3, a.desired(6_000, 1, 0, 0));
    assertEquals(1, a.desired(10_500, 0, 0, 0)); // the peak left the window; the 1 at 6 s has not
    assertEquals(0, a.desired(16_500, 0, 0, 0));
  }

  @Test
  void neverBelowMin() {
    assertEquals(1, concurrency(1, 3, 1, 0).desired(100_000, 0, 0, 0));
  }

  @Test
  void requestRateMetric() {
    Autoscaler a = new Autoscaler(new Scaling(0, 10, Duration.ZERO, new ScalingMetric.RequestRate(5)));
    assertEquals(0, a.desired(0, 3, 0, 0.0)); // in-flight requests do not count for the rate metric
    assertEquals(1, a.desired(1, 0, 0, 5.0));
    assertEquals(3, a.desired(2, 0, 0, 11.0));
  }
}

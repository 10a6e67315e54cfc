package dev.barista.apps.runtime;

import dev.barista.apps.spec.Scaling;
import dev.barista.apps.spec.ScalingMetric;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides how many replicas an app should have. Each observation gives an instantaneous need from the
 * declared metric (ceil(load / target)); the decision is the largest need seen within the last
 * {@code scaledown_after}, clamped to min..max. So scaling up is immediate, scaling down (and to zero)
 * happens only after a whole {@code scaledown_after} of lower load, and a waiting request always
 * asks for at least one replica.
 */
public final class Autoscaler {
  private record Sample(long atMillis, int need) {}

  private final Scaling scaling;
  private final Deque<Sample> window = new ArrayDeque<>();

  public Autoscaler(Scaling scaling) {
    this.scaling = scaling;
  }

  /**
   * @param inFlight requests being served by replicas
   * @param queued requests waiting for a replica
   * @param requestRate requests per second arriving lately
   */
  public synchronized int desired(long nowMillis, int inFlight, int queued, double requestRate) {
    int need = need(inFlight, queued, requestRate);
    window.addLast(new Sample(nowMillis, need));
    long horizon = nowMillis - scaling.scaledownAfter().toMillis();
    while (window.size() > 1 && window.peekFirst().atMillis() < horizon) window.removeFirst();
    int max = 0;
    for (Sample s : window) max = Math.max(max, s.need());
    return Math.clamp(max, scaling.minReplicas(), scaling.maxReplicas());
  }

  int need(int inFlight, int queued, double requestRate) {
    ScalingMetric m = scaling.metric();
    double load = m instanceof ScalingMetric.Concurrency ? inFlight + queued : requestRate;
    int need = (int) Math.ceil(load / m.target() - 1e-9);
    return queued > 0 ? Math.max(need, 1) : need;
  }
}

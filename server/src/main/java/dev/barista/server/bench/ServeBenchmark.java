package dev.barista.server.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends a dataset at a target as `vllm bench serve` does: arrivals at {@code requestRate} per
 * second with gamma-distributed gaps (shape = burstiness; 1 is Poisson), infinite rate sends all
 * at once, and at most {@code maxConcurrency} requests in flight (0 = unlimited).
 */
public final class ServeBenchmark {
  private ServeBenchmark() {}

  public static BenchReport run(BenchTarget target, List<BenchRequest> requests,
      double requestRate, double burstiness, int maxConcurrency, long seed)
      throws InterruptedException {
    // One request first, as vllm bench does: checks the target and warms it (JIT) before timing.
    RequestTiming probe = target.run(requests.getFirst());
    if (!probe.ok()) throw new IllegalStateException("the first request failed: " + probe.error());
    Random rng = new Random(seed);
    Semaphore slots = new Semaphore(maxConcurrency > 0 ? maxConcurrency : Integer.MAX_VALUE);
    List<Future<RequestTiming>> futures = new ArrayList<>(requests.size());
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (BenchRequest r : requests) {
        futures.add(pool.submit(() -> {
          slots.acquire();
          try {
            return target.run(r);
          } finally {
            slots.release();
          }
        }));
        if (Double.isFinite(requestRate)) {
          double gapSeconds = gamma(rng, burstiness, 1.0 / (requestRate * burstiness));
          TimeUnit.NANOSECONDS.sleep((long) (gapSeconds * 1e9));
        }
      }
    }
    double duration = (System.nanoTime() - start) / 1e9;
    List<RequestTiming> timings = new ArrayList<>(futures.size());
    for (Future<RequestTiming> f : futures) {
      try {
        timings.add(f.get());
      } catch (Exception e) {
        timings.add(RequestTiming.failed(String.valueOf(e.getCause())));
      }
    }
    return BenchReport.of(timings, duration);
  }

  /** Gamma(shape, scale) by Marsaglia and Tsang; shape 1 is the exponential (Poisson gaps). */
  static double gamma(Random rng, double shape, double scale) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) continue;
      v = v * v * v;
      double u = rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  }
}

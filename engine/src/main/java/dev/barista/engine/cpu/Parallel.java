package dev.barista.engine.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parallel loops over all cores for the CPU kernels: the calling thread and the pool's workers
 * claim chunks of the index range from a shared counter, so an uneven or preempted core does not
 * hold the others up.
 */
final class Parallel {
  static final int THREADS = Math.max(1,
      Integer.getInteger("barista.cpu.threads", Runtime.getRuntime().availableProcessors()));
  private static final ForkJoinPool POOL = new ForkJoinPool(Math.max(1, THREADS - 1));

  /** The body of a loop over {@code [from, to)}. */
  @FunctionalInterface
  interface RangeBody {
    void run(int from, int to);
  }

  private Parallel() {}

  /** Runs {@code body} over [0, n) in chunks of about {@code grain} indices, on all cores. */
  static void forRange(int n, int grain, RangeBody body) {
    if (n <= 0) return;
    int chunk = Math.max(1, grain);
    int chunks = (n + chunk - 1) / chunk;
    if (THREADS == 1 || chunks == 1) {
      body.run(0, n);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable worker = () -> {
      for (int c; (c = next.getAndIncrement()) < chunks; ) {
        int from = c * chunk;
        body.run(from, Math.min(n, from + chunk));
      }
    };
    int helpers = Math.min(THREADS - 1, chunks - 1);
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
    for (int i = 0; i < helpers; i++) tasks[i] = POOL.submit(worker);
    worker.run();
    for (ForkJoinTask<?> t : tasks) t.join();
  }

  /** A grain that splits {@code n} into a few chunks per thread (at least {@code min}). */
  static int grainFor(int n, int min) {
    return Math.max(min, n / (THREADS * 4));
  }
}

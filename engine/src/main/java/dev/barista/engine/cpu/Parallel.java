package dev.barista.engine.cpu;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Parallel loops over all cores for the CPU kernels, on a small pool of always-ready workers.
 *
 * <p>Why not a ForkJoinPool: a decode step runs over a hundred short loops (one per matrix, 0.1-1
 * ms each); waking a parked pool thread costs 10-30 us, during which only one core streams
 * weights. These workers spin briefly between loops, then park, so back-to-back loops start in
 * well under a microsecond and an idle engine burns no CPU.
 *
 * <p>Work split: each participant owns a contiguous share of the chunks, so every core streams
 * its own rows sequentially and claims chunks from a counter no other core touches; a
 * participant that runs out steals from the others' shares, so a preempted core on a shared
 * machine does not hold the loop up. Which thread computes a chunk never changes its result.
 */
final class Parallel {
  static final int THREADS = Math.max(1,
      Integer.getInteger("barista.cpu.threads", Runtime.getRuntime().availableProcessors()));
  private static final WorkerPool POOL = THREADS > 1 ? new WorkerPool(THREADS - 1) : null;
  /** One loop at a time uses the workers; other callers (another engine) wait their turn. */
  private static final ReentrantLock LOCK = new ReentrantLock();

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
    // A loop inside a loop's body (on any participant) runs inline: the workers are busy.
    if (POOL == null || chunks == 1 || WorkerPool.insideLoop() || LOCK.isHeldByCurrentThread()) {
      body.run(0, n);
      return;
    }
    LOCK.lock();
    try {
      POOL.run(new ParallelLoop(n, chunk, chunks, THREADS, body));
    } finally {
      LOCK.unlock();
    }
  }

  /** A grain that splits {@code n} into a few chunks per thread (at least {@code min}). */
  static int grainFor(int n, int min) {
    return Math.max(min, n / (THREADS * 4));
  }
}

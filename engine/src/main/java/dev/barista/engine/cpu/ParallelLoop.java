package dev.barista.engine.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One parallel loop over chunks of [0, n): participant p first claims the chunks of its own
 * contiguous share, then those left in the other shares. Each share's counter sits on its own
 * cache line, so claiming a chunk of one's own share costs no traffic between cores.
 */
final class ParallelLoop {
  /** Ints between two shares' counters: 64 bytes, one cache line. */
  private static final int PAD = 16;
  /** How long the caller spins for the last chunks before parking. */
  private static final long SPIN_NANOS = 20_000;

  private final int n;
  private final int chunk;
  private final int chunks;
  private final int shares;
  private final Parallel.RangeBody body;
  private final AtomicIntegerArray next;
  private final AtomicInteger finished = new AtomicInteger();
  private volatile Throwable error;
  /** The caller once it stopped spinning in {@link #awaitAll}; whoever finishes the last chunk wakes it. */
  private volatile Thread waiter;

  ParallelLoop(int n, int chunk, int chunks, int shares, Parallel.RangeBody body) {
    this.n = n;
    this.chunk = chunk;
    this.chunks = chunks;
    this.shares = Math.min(shares, chunks);
    this.body = body;
    this.next = new AtomicIntegerArray(this.shares * PAD);
    for (int s = 0; s < this.shares; s++) next.set(s * PAD, shareStart(s));
  }

  private int shareStart(int s) {
    return (int) ((long) chunks * s / shares);
  }

  /** Runs chunks until none is left to claim; participant numbers beyond the shares only steal. */
  void participate(int participant) {
    int done = 0;
    try {
      for (int k = 0; k < shares; k++) {
        int s = (participant + k) % shares;
        int end = shareStart(s + 1);
        for (int c; (c = next.getAndIncrement(s * PAD)) < end; done++) {
          if (error != null) continue; // a chunk failed: count the rest as done, run none
          int from = c * chunk;
          try {
            body.run(from, Math.min(n, from + chunk));
          } catch (Throwable e) {
            error = e;
          }
        }
      }
    } finally {
      if (finished.addAndGet(done) == chunks) {
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
      }
    }
  }

  /**
   * Waits until every chunk has run. Claimed chunks are normally in flight only briefly, so this
   * spins first; it parks if a participant lost its core mid-chunk on a busy machine.
   */
  void awaitAll() {
    long spinStart = System.nanoTime();
    for (int spins = 1; finished.get() < chunks; spins++) {
      if ((spins & 63) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
        Thread.onSpinWait();
        continue;
      }
      waiter = Thread.currentThread();
      if (finished.get() < chunks) LockSupport.parkNanos(this, 50_000);
    }
    Throwable e = error;
    if (e instanceof RuntimeException r) throw r;
    if (e instanceof Error err) throw err;
    if (e != null) throw new IllegalStateException(e);
  }
}

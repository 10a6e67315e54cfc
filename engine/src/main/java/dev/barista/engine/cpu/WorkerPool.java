package dev.barista.engine.cpu;

import java.util.concurrent.locks.LockSupport;

/**
 * Worker threads that join every {@link ParallelLoop} the calling thread publishes. Between loops a
 * worker spins for a short while (the gaps inside a decode step are tens of microseconds), then
 * parks until the next loop.
 */
final class WorkerPool {
  /**
   * How long an idle worker spins before parking: longer than the gaps between the loops of a
   * decode step (norms, RoPE, attention: tens of microseconds), short enough that on a busy
   * machine a worker does not burn the time slice it will need for the next loop.
   */
  private static final long SPIN_NANOS = 50_000;

  private final Worker[] workers;
  private volatile ParallelLoop current;

  WorkerPool(int size) {
    workers = new Worker[size];
    for (int i = 0; i < size; i++) {
      workers[i] = new Worker(i + 1);
      workers[i].start();
    }
  }

  /** Whether the calling thread is one of the pools' workers (inside some loop's body). */
  static boolean insideLoop() {
    return Thread.currentThread() instanceof Worker;
  }

  /** Runs the loop on the calling thread (participant 0) and every worker; one caller at a time. */
  void run(ParallelLoop loop) {
    current = loop;
    for (Worker w : workers) {
      if (w.parked) LockSupport.unpark(w);
    }
    loop.participate(0);
    loop.awaitAll();
  }

  private final class Worker extends Thread {
    private final int participant;
    /** Set before parking and re-checked against {@code current}, so no wake-up is lost. */
    volatile boolean parked;

    Worker(int participant) {
      super("barista-cpu-" + participant);
      this.participant = participant;
      setDaemon(true);
    }

    @Override
    public void run() {
      ParallelLoop last = null;
      while (true) {
        last = awaitNext(last);
        last.participate(participant);
      }
    }

    private ParallelLoop awaitNext(ParallelLoop last) {
      long spinStart = System.nanoTime();
      for (int spins = 1; ; spins++) {
        ParallelLoop loop = current;
        if (loop != last) return loop;
        if ((spins & 255) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
          continue;
        }
        parked = true;
        if (current == last) LockSupport.park(this);
        parked = false;
        spinStart = System.nanoTime();
      }
    }
  }
}

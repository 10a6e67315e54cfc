package dev.barista.engine.core;

import dev.barista.engine.api.StepTimes;

/**
 * Adds up each step's time by kind (with prefill, or decode only) and the host's share of it.
 * Written on the engine thread, read from any: both sides hold the lock, uncontended between
 * snapshots. A histogram rather than a list of steps, so that a server running for weeks keeps
 * a fixed size.
 */
final class StepProfile {
  private final long[][] histograms = new long[2][StepTimes.BUCKETS];
  private final long[] steps = new long[2];
  private final long[] nanos = new long[2];
  private final long[] tokens = new long[2];
  private long hostNanos;

  /** A step of {@code numTokens}, whose runner part took {@code runnerNanos} of its {@code totalNanos}. */
  synchronized void record(boolean prefill, int numTokens, long totalNanos, long runnerNanos) {
    int kind = prefill ? 0 : 1;
    steps[kind]++;
    nanos[kind] += totalNanos;
    tokens[kind] += numTokens;
    histograms[kind][StepTimes.Kind.bucket(totalNanos)]++;
    hostNanos += totalNanos - runnerNanos;
  }

  /**
   * Whether any slice computes a prompt token or recomputes one: more than the newest token of its
   * sequence. Asked before the step runs, while a decode slice's token is still its sequence's last.
   */
  static boolean hasPrefill(SchedulerOutput out) {
    for (ScheduledSlice s : out.slices()) {
      EngineRequest r = s.request();
      if (s.numTokens() != 1 || s.startPosition() < r.numPromptTokens() || s.startPosition() != r.numTokens() - 1) {
        return true;
      }
    }
    return false;
  }

  synchronized StepTimes snapshot() {
    return new StepTimes(kind(0), kind(1), hostNanos / 1e9);
  }

  private StepTimes.Kind kind(int k) {
    return new StepTimes.Kind(steps[k], nanos[k] / 1e9, tokens[k], histograms[k]);
  }
}

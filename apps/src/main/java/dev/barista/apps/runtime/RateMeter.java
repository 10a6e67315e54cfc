package dev.barista.apps.runtime;

/** Requests per second over a sliding window, kept in fixed buckets (no allocation per request). */
public final class RateMeter {
  private static final int BUCKETS = 20;
  private final long bucketMillis;
  private final long[] counts = new long[BUCKETS];
  private final long[] stamps = new long[BUCKETS];

  public RateMeter(long windowMillis) {
    this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
  }

  public synchronized void record(long nowMillis) {
    long slot = nowMillis / bucketMillis;
    int i = (int) (slot % BUCKETS);
    if (stamps[i] != slot) {
      stamps[i] = slot;
      counts[i] = 0;
    }
    counts[i]++;
  }

  public synchronized double perSecond(long nowMillis) {
    long slot = nowMillis / bucketMillis;
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) if (slot - stamps[i] < BUCKETS) total += counts[i];
    return total * 1000.0 / (bucketMillis * BUCKETS);
  }
}

package dev.barista.engine.api;

/**
 * Where an engine's steps spent their time. Steps run one after another on the engine thread, so
 * the two kinds add up to the time the engine was busy.
 *
 * @param prefill steps that computed prompt tokens (or tokens recomputed after a preemption),
 *     with or without decode tokens beside them
 * @param decode steps of one new token per sequence only
 * @param hostSeconds the part of both spent outside the model runner: scheduling, building the
 *     batch, and recording its outputs
 */
public record StepTimes(Kind prefill, Kind decode, double hostSeconds) {

  /** Bucket i of a kind's histogram holds steps of {@code FIRST_NANOS * RATIO^i} nanoseconds and more. */
  public static final double FIRST_NANOS = 10_000;
  public static final double RATIO = 1.05;
  public static final int BUCKETS = 400;

  public static final StepTimes EMPTY = new StepTimes(Kind.EMPTY, Kind.EMPTY, 0);

  /** The steps since {@code earlier}, a snapshot of the same engine taken before this one. */
  public StepTimes since(StepTimes earlier) {
    return new StepTimes(prefill.since(earlier.prefill), decode.since(earlier.decode),
        hostSeconds - earlier.hostSeconds);
  }

  public long steps() {
    return prefill.steps + decode.steps;
  }

  public double seconds() {
    return prefill.seconds + decode.seconds;
  }

  /**
   * Steps of one kind.
   *
   * @param tokens tokens computed, every sequence's together
   * @param histogram step counts by duration (see {@link StepTimes#FIRST_NANOS})
   */
  public record Kind(long steps, double seconds, long tokens, long[] histogram) {
    static final Kind EMPTY = new Kind(0, 0, 0, new long[BUCKETS]);

    public Kind {
      if (histogram.length != BUCKETS) throw new IllegalArgumentException("a histogram has " + BUCKETS + " buckets");
      histogram = histogram.clone();
    }

    @Override
    public long[] histogram() {
      return histogram.clone();
    }

    Kind since(Kind earlier) {
      long[] h = new long[BUCKETS];
      for (int i = 0; i < BUCKETS; i++) h[i] = histogram[i] - earlier.histogram[i];
      return new Kind(steps - earlier.steps, seconds - earlier.seconds, tokens - earlier.tokens, h);
    }

    /** The bucket a step of this many nanoseconds falls in. */
    public static int bucket(long nanos) {
      if (nanos < FIRST_NANOS) return 0;
      return (int) Math.min(BUCKETS - 1, Math.floor(Math.log(nanos / FIRST_NANOS) / Math.log(RATIO)));
    }

    /**
     * The median step in milliseconds, as the geometric middle of its bucket (within 2.5%), or
     * 0 without steps.
     */
    public double medianMillis() {
      if (steps == 0) return 0;
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (2 * seen >= steps) return FIRST_NANOS * Math.pow(RATIO, i + 0.5) / 1e6;
      }
      return FIRST_NANOS * Math.pow(RATIO, BUCKETS) / 1e6;
    }
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.EngineStats;
import java.util.Map;
import java.util.TreeMap;

/** Counters and latency histograms the scheduler updates on the engine thread. */
public final class SchedulerCounters {
  long prefixCacheQueries;
  long prefixCacheHits;
  long numPreemptions;
  long promptTokens;
  long generationTokens;
  long computedTokens;
  long computedPromptTokens;
  final Map<String, Long> finished = new TreeMap<>();
  final LatencyRecorder timesToFirstToken = new LatencyRecorder(EngineStats.TTFT_BUCKETS);
  final LatencyRecorder interTokenLatencies = new LatencyRecorder(EngineStats.ITL_BUCKETS);
  final LatencyRecorder endToEndLatencies =
      new LatencyRecorder(EngineStats.REQUEST_LATENCY_BUCKETS);
  final LatencyRecorder queueTimes = new LatencyRecorder(EngineStats.REQUEST_LATENCY_BUCKETS);

  public long prefixCacheQueries() { return prefixCacheQueries; }
  public long prefixCacheHits() { return prefixCacheHits; }
  public long numPreemptions() { return numPreemptions; }
  public long promptTokens() { return promptTokens; }
  public long generationTokens() { return generationTokens; }
  /** Tokens the model computed, prompt and output. */
  public long computedTokens() { return computedTokens; }
  /** Prompt tokens the model computed (misses of the prefix cache, recomputation). */
  public long computedPromptTokens() { return computedPromptTokens; }

  EngineStats snapshot(int running, int waiting, double kvUsage) {
    return new EngineStats(running, waiting, kvUsage, prefixCacheQueries, prefixCacheHits,
        numPreemptions, promptTokens, generationTokens, computedPromptTokens, finished,
        timesToFirstToken.snapshot(), interTokenLatencies.snapshot(),
        endToEndLatencies.snapshot(), queueTimes.snapshot());
  }
}

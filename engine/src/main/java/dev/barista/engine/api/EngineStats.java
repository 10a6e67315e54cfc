package dev.barista.engine.api;

import java.util.Map;

/**
 * A snapshot of the engine's metrics, named after vLLM's Prometheus metrics (prefix {@code vllm:}
 * there) so that the server exports them under the same names.
 *
 * @param numRequestsRunning {@code num_requests_running}
 * @param numRequestsWaiting {@code num_requests_waiting}
 * @param kvCacheUsagePerc {@code kv_cache_usage_perc}: fraction (0..1) of KV blocks in use
 * @param prefixCacheQueries {@code prefix_cache_queries}: prompt tokens looked up
 * @param prefixCacheHits {@code prefix_cache_hits}: prompt tokens found in the cache
 * @param numPreemptions {@code num_preemptions}
 * @param promptTokens {@code prompt_tokens}: prompt tokens of requests that started generating
 * @param generationTokens {@code generation_tokens}
 * @param computedPromptTokens prompt tokens the model actually computed (cache misses and
 *     recomputation after preemption); not a vLLM metric
 * @param requestSuccess {@code request_success}, by finished_reason (stop, length, abort)
 * @param timeToFirstToken {@code time_to_first_token_seconds}
 * @param interTokenLatency {@code inter_token_latency_seconds}
 * @param e2eRequestLatency {@code e2e_request_latency_seconds}
 * @param requestQueueTime {@code request_queue_time_seconds}
 */
public record EngineStats(
    int numRequestsRunning,
    int numRequestsWaiting,
    double kvCacheUsagePerc,
    long prefixCacheQueries,
    long prefixCacheHits,
    long numPreemptions,
    long promptTokens,
    long generationTokens,
    long computedPromptTokens,
    Map<String, Long> requestSuccess,
    Histogram timeToFirstToken,
    Histogram interTokenLatency,
    Histogram e2eRequestLatency,
    Histogram requestQueueTime) {

  /** vLLM's buckets for time to first token. */
  public static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  /** vLLM's buckets for inter-token latency. */
  public static final double[] ITL_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
      0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  /** vLLM's buckets for request-level latencies (end to end, queue time). */
  public static final double[] REQUEST_LATENCY_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0,
      10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

  public EngineStats {
    requestSuccess = Map.copyOf(requestSuccess);
  }

  public static EngineStats empty() {
    return new EngineStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of(),
        Histogram.empty(TTFT_BUCKETS), Histogram.empty(ITL_BUCKETS),
        Histogram.empty(REQUEST_LATENCY_BUCKETS), Histogram.empty(REQUEST_LATENCY_BUCKETS));
  }
}

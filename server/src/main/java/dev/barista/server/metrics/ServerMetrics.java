package dev.barista.server.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics with vLLM's names (prefix "vllm:", label model_name): token
 * counters, finished requests by reason, TTFT / inter-token / end-to-end histograms, and the
 * engine's gauges (running, waiting, KV cache usage) read when scraped.
 */
public final class ServerMetrics {
  private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
      0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  private static final double[] ITL_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4,
      0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  private static final double[] E2E_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0,
      20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
  private static final double[] TOKEN_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000,
      5000, 10000, 20000, 50000, 100000};

  private final String modelLabel;
  private final Supplier<Map<String, Double>> engineGauges;
  final LongAdder promptTokens = new LongAdder();
  final LongAdder generationTokens = new LongAdder();
  final Histogram timeToFirstToken = new Histogram(TTFT_BUCKETS);
  final Histogram interTokenLatency = new Histogram(ITL_BUCKETS);
  final Histogram e2eLatency = new Histogram(E2E_BUCKETS);
  final Histogram requestPromptTokens = new Histogram(TOKEN_BUCKETS);
  final Histogram requestGenerationTokens = new Histogram(TOKEN_BUCKETS);
  private final Map<String, LongAdder> finished = new ConcurrentHashMap<>();
  private final AtomicLong inFlight = new AtomicLong();

  public ServerMetrics(String modelName, Supplier<Map<String, Double>> engineGauges) {
    this.modelLabel = PrometheusText.label("model_name", modelName);
    this.engineGauges = engineGauges;
    for (String reason : new String[] {"stop", "length", "abort"}) {
      finished.put(reason, new LongAdder());
    }
  }

  public RequestTimer start(int promptTokenCount, int n) {
    inFlight.incrementAndGet();
    promptTokens.add(promptTokenCount);
    requestPromptTokens.observe(promptTokenCount);
    return new RequestTimer(this, promptTokenCount);
  }

  /** Engine requests submitted and not yet finished or aborted. */
  public long inFlight() {
    return inFlight.get();
  }

  void endRequest(RequestTimer timer, double seconds, int prompt, int generated,
      Iterable<String> reasons) {
    inFlight.decrementAndGet();
    e2eLatency.observe(seconds);
    requestGenerationTokens.observe(generated);
    for (String r : reasons) finished.computeIfAbsent(r, k -> new LongAdder()).increment();
  }

  /** The whole exposition, as GET /metrics returns it. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    Map<String, Double> gauges = engineGauges.get();
    gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.",
        gauges.getOrDefault("vllm:num_requests_running", (double) inFlight.get()));
    gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.",
        gauges.getOrDefault("vllm:num_requests_waiting", 0.0));
    for (Map.Entry<String, Double> g : gauges.entrySet()) {
      if (g.getKey().equals("vllm:num_requests_running")
          || g.getKey().equals("vllm:num_requests_waiting")) continue;
      boolean counter = g.getKey().endsWith("_total");
      PrometheusText.header(out, g.getKey(), counter ? "counter" : "gauge", "Engine statistic.");
      PrometheusText.sample(out, g.getKey(), modelLabel, g.getValue());
    }
    counter(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.",
        promptTokens.sum());
    counter(out, "vllm:generation_tokens_total", "Number of generation tokens processed.",
        generationTokens.sum());
    PrometheusText.header(out, "vllm:request_success_total", "counter",
        "Count of successfully processed requests.");
    finished.forEach((reason, count) -> PrometheusText.sample(out, "vllm:request_success_total",
        modelLabel + "," + PrometheusText.label("finished_reason", reason), count.sum()));
    histogram(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
        timeToFirstToken);
    histogram(out, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
        interTokenLatency);
    histogram(out, "vllm:e2e_request_latency_seconds",
        "Histogram of e2e request latency in seconds.", e2eLatency);
    histogram(out, "vllm:request_prompt_tokens", "Number of prefill tokens processed.",
        requestPromptTokens);
    histogram(out, "vllm:request_generation_tokens", "Number of generation tokens processed.",
        requestGenerationTokens);
    return out.toString();
  }

  private void gauge(StringBuilder out, String name, String help, double value) {
    PrometheusText.header(out, name, "gauge", help);
    PrometheusText.sample(out, name, modelLabel, value);
  }

  private void counter(StringBuilder out, String name, String help, double value) {
    PrometheusText.header(out, name, "counter", help);
    PrometheusText.sample(out, name, modelLabel, value);
  }

  private void histogram(StringBuilder out, String name, String help, Histogram h) {
    PrometheusText.header(out, name, "histogram", help);
    h.write(out, name, modelLabel);
  }
}

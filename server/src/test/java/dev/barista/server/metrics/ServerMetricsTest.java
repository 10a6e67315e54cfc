package dev.barista.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

  private static RequestOutput delta(int tokens, String finish) {
    List<Integer> ids = java.util.Collections.nCopies(tokens, 7);
    return new RequestOutput("r", null, List.of(1, 2, 3), null,
        List.of(new CompletionOutput(0, "x", ids, null, null, finish, null)), finish != null, 0);
  }

  @Test
  void countsTokensAndFinishedRequestsWithVllmNames() {
    ServerMetrics m = new ServerMetrics("my \"model\"", () -> Map.of(
        "vllm:num_requests_waiting", 3.0, "vllm:kv_cache_usage_perc", 0.25));
    RequestTimer t = m.start(3, 1);
    t.onOutput(delta(1, null));
    t.onOutput(delta(2, "length"));
    t.finish();
    m.start(5, 1).abort();
    String text = m.scrape();
    String label = "model_name=\"my \\\"model\\\"\"";
    assertTrue(text.contains("vllm:prompt_tokens_total{" + label + "} 8.0\n"), text);
    assertTrue(text.contains("vllm:generation_tokens_total{" + label + "} 3.0\n"), text);
    assertTrue(text.contains("vllm:request_success_total{" + label
        + ",finished_reason=\"length\"} 1.0\n"), text);
    assertTrue(text.contains("vllm:request_success_total{" + label
        + ",finished_reason=\"abort\"} 1.0\n"), text);
    assertTrue(text.contains("vllm:num_requests_waiting{" + label + "} 3.0\n"), text);
    assertTrue(text.contains("# TYPE vllm:kv_cache_usage_perc gauge\n"), text);
    assertTrue(text.contains("vllm:time_to_first_token_seconds_count{" + label + "} 1\n"), text);
    assertTrue(text.contains("vllm:e2e_request_latency_seconds_count{" + label + "} 2\n"), text);
    assertEquals(0, m.inFlight());
  }

  @Test
  void histogramBucketsAreCumulative() {
    Histogram h = new Histogram(1, 2, 5);
    h.observe(0.5);
    h.observe(1.5);
    h.observe(1.7);
    h.observe(9);
    StringBuilder out = new StringBuilder();
    h.write(out, "x", "a=\"b\"");
    assertEquals("""
        x_bucket{a="b",le="1.0"} 1
        x_bucket{a="b",le="2.0"} 3
        x_bucket{a="b",le="5.0"} 3
        x_bucket{a="b",le="+Inf"} 4
        x_sum{a="b"} 12.7
        x_count{a="b"} 4
        """, out.toString());
  }
}

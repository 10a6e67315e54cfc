package dev.barista.server.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The summary `vllm bench serve` prints: throughput plus TTFT, TPOT and ITL statistics. */
public record BenchReport(int completed, int failed, double durationSeconds, long inputTokens,
    long outputTokens, Percentiles ttftMs, Percentiles tpotMs, Percentiles itlMs,
    Percentiles e2eMs, List<String> errors) {

  public static BenchReport of(List<RequestTiming> timings, double durationSeconds) {
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long in = 0;
    long out = 0;
    int ok = 0;
    for (RequestTiming t : timings) {
      if (!t.ok()) {
        if (errors.size() < 5) errors.add(t.error());
        continue;
      }
      ok++;
      in += t.promptTokens();
      out += t.outputTokens();
      ttft.add(t.ttftNanos() / 1e6);
      e2e.add(t.latencyNanos() / 1e6);
      if (t.outputTokens() > 1) {
        tpot.add((t.latencyNanos() - t.ttftNanos()) / 1e6 / (t.outputTokens() - 1));
      }
      for (long gap : t.itlNanos()) itl.add(gap / 1e6);
    }
    return new BenchReport(ok, timings.size() - ok, durationSeconds, in, out, p(ttft), p(tpot),
        p(itl), p(e2e), errors);
  }

  private static Percentiles p(List<Double> v) {
    return new Percentiles(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  public double requestThroughput() {
    return completed / durationSeconds;
  }

  public double outputThroughput() {
    return outputTokens / durationSeconds;
  }

  public double totalTokenThroughput() {
    return (inputTokens + outputTokens) / durationSeconds;
  }

  /** The metrics as a flat map (for --result-file and tests). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("completed", completed);
    m.put("failed", failed);
    m.put("duration_s", durationSeconds);
    m.put("total_input_tokens", inputTokens);
    m.put("total_output_tokens", outputTokens);
    m.put("request_throughput", requestThroughput());
    m.put("output_throughput", outputThroughput());
    m.put("total_token_throughput", totalTokenThroughput());
    put(m, "ttft_ms", ttftMs);
    put(m, "tpot_ms", tpotMs);
    put(m, "itl_ms", itlMs);
    put(m, "e2el_ms", e2eMs);
    return m;
  }

  private static void put(Map<String, Object> m, String name, Percentiles p) {
    m.put("mean_" + name, p.mean());
    m.put("median_" + name, p.percentile(50));
    m.put("p99_" + name, p.percentile(99));
  }

  public String format() {
    StringBuilder s = new StringBuilder();
    s.append("============ Serving Benchmark Result ============\n");
    row(s, "Successful requests:", completed);
    row(s, "Failed requests:", failed);
    row(s, "Benchmark duration (s):", durationSeconds);
    row(s, "Total input tokens:", inputTokens);
    row(s, "Total generated tokens:", outputTokens);
    row(s, "Request throughput (req/s):", requestThroughput());
    row(s, "Output token throughput (tok/s):", outputThroughput());
    row(s, "Total token throughput (tok/s):", totalTokenThroughput());
    section(s, "Time to First Token", "TTFT", ttftMs);
    section(s, "Time per Output Token (excl. 1st token)", "TPOT", tpotMs);
    section(s, "Inter-token Latency", "ITL", itlMs);
    s.append("==================================================\n");
    for (String e : errors) s.append("error: ").append(e).append('\n');
    return s.toString();
  }

  private static void section(StringBuilder s, String title, String abbrev, Percentiles p) {
    int pad = Math.max(0, (50 - title.length() - 2) / 2);
    s.append("-".repeat(pad)).append(' ').append(title).append(' ').append("-".repeat(pad))
        .append('\n');
    row(s, "Mean " + abbrev + " (ms):", p.mean());
    row(s, "Median " + abbrev + " (ms):", p.percentile(50));
    row(s, "P99 " + abbrev + " (ms):", p.percentile(99));
  }

  private static void row(StringBuilder s, String label, Object value) {
    String v = value instanceof Double d ? String.format(Locale.ROOT, "%.2f", d) : value.toString();
    s.append(String.format(Locale.ROOT, "%-40s%10s%n", label, v));
  }
}

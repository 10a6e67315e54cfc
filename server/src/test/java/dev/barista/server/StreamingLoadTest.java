package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.EngineStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SSE framing over raw HTTP, and a bounded load test on loopback: 500 concurrent streaming clients,
 * a third of them hanging up at random points; everyone else gets the whole stream, and afterwards
 * the engine holds no request and no KV block.
 */
class StreamingLoadTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyTokenIdModel(), "auto", o -> o);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String body(Random rng, int maxTokens) {
    StringBuilder p = new StringBuilder();
    int len = 4 + rng.nextInt(12);
    for (int i = 0; i < len; i++) p.append(i == 0 ? "" : ",").append(3 + rng.nextInt(990));
    return "{\"model\": \"tiny\", \"prompt\": [" + p + "], \"max_tokens\": " + maxTokens
        + ", \"ignore_eos\": true, \"stream\": true, \"logprobs\": 0}";
  }

  @Test
  void sseFraming() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/v1/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": [5, 6, 7], \"max_tokens\": 3, "
            + "\"ignore_eos\": true, \"stream\": true, \"stream_options\": "
            + "{\"include_usage\": true}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
    String[] events = r.body().split("\n\n", -1);
    // token chunks (the engine may merge tokens), the usage chunk, [DONE], the empty tail
    int n = events.length;
    assertTrue(n >= 4, r.body());
    for (int i = 0; i < n - 2; i++) {
      assertTrue(events[i].startsWith("data: {") && !events[i].contains("\n"), events[i]);
    }
    assertTrue(events[n - 3].contains("\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":3"), events[n - 3]);
    assertTrue(events[n - 4].contains("\"finish_reason\":\"length\""), events[n - 4]);
    assertEquals("data: [DONE]", events[n - 2]);
    assertEquals("", events[n - 1]);
  }

  private static double sample(String metrics, String label) {
    return metrics.lines().filter(l -> l.startsWith("vllm:request_success_total") && l.contains(label))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** One raw client: sends the request, reads events; hangs up after {@code hangUpAfter} (-1: never). */
  private static String client(int port, String json, int hangUpAfter) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(60_000);
      byte[] payload = json.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
          + "application/json\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(payload);
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
          StandardCharsets.UTF_8));
      int events = 0;
      int tokens = 0;
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("data: [DONE]")) return "done:" + tokens;
        if (line.startsWith("data: ")) {
          if (line.contains("\"error\"")) return "error:" + line;
          events++;
          tokens += JSON.readTree(line.substring(6)).path("choices").path(0).path("logprobs")
              .path("tokens").size();
          if (events == hangUpAfter) return "hung-up";
        }
      }
      return "eof:" + tokens;
    }
  }

  @Test
  void fiveHundredStreamsAThirdHangingUp() throws Exception {
    int clients = 500;
    String before = server.server.context().metrics().scrape();
    Random rng = new Random(42);
    List<Future<String>> results = new ArrayList<>();
    List<Integer> expected = new ArrayList<>();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < clients; i++) {
        boolean hangUp = i % 3 == 0;
        int maxTokens = hangUp ? 400 : 8 + rng.nextInt(17);
        int hangUpAfter = hangUp ? 1 + rng.nextInt(10) : -1;
        String json = body(rng, maxTokens);
        expected.add(hangUp ? -1 : maxTokens);
        results.add(pool.submit(() -> client(server.server.port(), json, hangUpAfter)));
      }
    }
    int completed = 0;
    for (int i = 0; i < clients; i++) {
      String r = results.get(i).get();
      if (expected.get(i) < 0) {
        assertEquals("hung-up", r);
      } else {
        // every generated token arrived (counted from the chunks' logprobs), then [DONE]
        assertEquals("done:" + expected.get(i), r, "client " + i);
        completed++;
      }
    }
    assertEquals(333, completed);
    // the server notices each hang-up on its next write and aborts the engine request
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    EngineStats stats = server.backend.asyncEngine().stats();
    while (System.nanoTime() < deadline && (server.server.context().metrics().inFlight() > 0
        || server.backend.asyncEngine().numUnfinishedRequests() > 0
        || stats.numRequestsRunning() + stats.numRequestsWaiting() > 0
        || stats.kvCacheUsagePerc() > 0)) {
      Thread.sleep(50);
      stats = server.backend.asyncEngine().stats();
    }
    assertEquals(0, server.server.context().metrics().inFlight());
    assertEquals(0, server.backend.asyncEngine().numUnfinishedRequests());
    assertEquals(0, stats.numRequestsRunning());
    assertEquals(0, stats.numRequestsWaiting());
    assertEquals(0.0, stats.kvCacheUsagePerc());
    // A hang-up is noticed on the server's next write; on a starved machine the engine may still
    // finish a few of those requests first, so each of them ends as either abort or length.
    String metrics = server.server.context().metrics().scrape();
    double aborted = sample(metrics, "finished_reason=\"abort\"")
        - sample(before, "finished_reason=\"abort\"");
    double length = sample(metrics, "finished_reason=\"length\"");
    assertEquals(500.0, aborted + length - sample(before, "finished_reason=\"length\""),
        metrics);
    assertTrue(aborted >= 100, "hang-ups abort their requests: " + aborted);
    System.out.printf("500 streams (167 hung up) in %.1f s%n", (System.nanoTime() - start) / 1e9);
  }
}

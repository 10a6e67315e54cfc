package dev.barista.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/** Streams /v1/completions requests over HTTP and times the server-sent chunks. */
public final class HttpCompletionsTarget implements BenchTarget {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client;
  private final URI uri;
  private final String model;
  private final String apiKey;

  public HttpCompletionsTarget(String baseUrl, String endpoint, String model, String apiKey) {
    this.uri = URI.create(baseUrl.replaceAll("/+$", "") + endpoint);
    this.model = model;
    this.apiKey = apiKey;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30))
        .executor(Executors.newVirtualThreadPerTaskExecutor())
        .build();
  }

  @Override
  public RequestTiming run(BenchRequest r) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (model != null) body.put("model", model);
    body.put("prompt", r.prompt());
    body.put("max_tokens", r.outputLen());
    body.put("temperature", 0.0);
    body.put("ignore_eos", true);
    body.put("stream", true);
    body.put("stream_options", Map.of("include_usage", true));
    long start = System.nanoTime();
    try {
      HttpRequest.Builder req = HttpRequest.newBuilder(uri)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      if (apiKey != null) req.header("Authorization", "Bearer " + apiKey);
      HttpResponse<Stream<String>> resp = client.send(req.build(),
          HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = resp.body()) {
        if (resp.statusCode() != 200) {
          return RequestTiming.failed("HTTP " + resp.statusCode() + ": "
              + String.join(" ", lines.toList()));
        }
        return readStream(lines.iterator(), start, r.prompt().size());
      }
    } catch (Exception e) {
      return RequestTiming.failed(e.toString());
    }
  }

  private static RequestTiming readStream(Iterator<String> lines, long start, int promptTokens)
      throws Exception {
    long first = 0;
    long last = 0;
    int chunks = 0;
    int outputTokens = -1;
    List<Long> itl = new ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      if (!line.startsWith("data: ")) continue;
      String data = line.substring(6).trim();
      if (data.equals("[DONE]")) break;
      JsonNode chunk = JSON.readTree(data);
      if (chunk.has("error")) return RequestTiming.failed(chunk.get("error").toString());
      long now = System.nanoTime();
      JsonNode choices = chunk.path("choices");
      // every chunk with a choice carries new tokens (its text is empty for a tokenizer-less model)
      if (choices.size() > 0) {
        if (first == 0) first = now;
        else itl.add(now - last);
        last = now;
        chunks++;
      }
      if (chunk.path("usage").has("completion_tokens")) {
        outputTokens = chunk.path("usage").path("completion_tokens").asInt();
      }
    }
    long end = System.nanoTime();
    if (first == 0) return RequestTiming.failed("no text was streamed");
    return new RequestTiming(null, promptTokens, outputTokens >= 0 ? outputTokens : chunks,
        first - start, itl, end - start);
  }

  @Override
  public void close() {
    client.close();
  }
}

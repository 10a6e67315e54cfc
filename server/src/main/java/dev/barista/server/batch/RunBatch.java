package dev.barista.server.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.server.ChatCompletionsEndpoint;
import dev.barista.server.CompletionsEndpoint;
import dev.barista.server.ServingContext;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * `barista run-batch`: OpenAI's batch file format (one {"custom_id", "method", "url", "body"} per
 * line) in, one {"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}
 * per line out, in input order. All lines are checked before any runs; lines then run
 * concurrently so the engine batches them.
 */
public final class RunBatch {
  private final CompletionsEndpoint completions;
  private final ChatCompletionsEndpoint chat;

  public RunBatch(ServingContext ctx) {
    this.completions = new CompletionsEndpoint(ctx);
    this.chat = new ChatCompletionsEndpoint(ctx);
  }

  /** One input line, parsed. */
  record BatchLine(String customId, String method, String url, ObjectNode body) {}

  public record Summary(int succeeded, int failed) {}

  public Summary run(Path input, Path output) throws IOException, InterruptedException {
    List<BatchLine> lines = read(input);
    List<Future<Map<String, Object>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (BatchLine line : lines) results.add(pool.submit(() -> execute(line)));
    }
    int ok = 0;
    try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      for (Future<Map<String, Object>> f : results) {
        Map<String, Object> result;
        try {
          result = f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
        if (result.get("error") == null) ok++;
        w.write(Json.string(result));
        w.newLine();
      }
    }
    return new Summary(ok, lines.size() - ok);
  }

  /** Reads and checks every line; a malformed one fails the whole run, naming file and line. */
  static List<BatchLine> read(Path input) throws IOException {
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("input file not found: " + input);
    }
    List<BatchLine> out = new ArrayList<>();
    int number = 0;
    for (String text : Files.readAllLines(input, StandardCharsets.UTF_8)) {
      number++;
      if (text.isBlank()) continue;
      String where = input + " line " + number + ": ";
      ObjectNode node;
      try {
        node = Json.parseObject(text.getBytes(StandardCharsets.UTF_8));
      } catch (ApiException e) {
        throw new IllegalArgumentException(where + e.getMessage());
      }
      String customId = text(node, "custom_id", where);
      String method = text(node, "method", where);
      String url = text(node, "url", where);
      JsonNode body = node.get("body");
      if (body == null || !body.isObject()) {
        throw new IllegalArgumentException(where + "body must be a JSON object");
      }
      if (!method.equals("POST")) {
        throw new IllegalArgumentException(where + "method must be POST, got " + method);
      }
      out.add(new BatchLine(customId, method, url, (ObjectNode) body));
    }
    if (out.isEmpty()) throw new IllegalArgumentException(input + " holds no requests");
    return out;
  }

  private static String text(ObjectNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + field + " must be a string");
    }
    return v.asText();
  }

  private Map<String, Object> execute(BatchLine line) throws InterruptedException {
    String requestId = "vllm-batch-" + UUID.randomUUID().toString().replace("-", "");
    Object body = null;
    int status = 200;
    String error = null;
    try {
      body = switch (line.url()) {
        case "/v1/completions" -> completions.respond(line.body());
        case "/v1/chat/completions" -> chat.respond(line.body());
        default -> throw new ApiException(404, "NotFoundError", "URL " + line.url()
            + " is not supported; use /v1/completions or /v1/chat/completions", "url");
      };
    } catch (ApiException e) {
      status = e.status();
      error = e.getMessage();
    } catch (InvalidParameterException e) {
      status = 400;
      error = e.getMessage();
    }
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("status_code", status);
    response.put("request_id", requestId);
    response.put("body", body);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", "vllm-" + UUID.randomUUID().toString().replace("-", ""));
    out.put("custom_id", line.customId());
    out.put("response", response);
    out.put("error", error);
    return out;
  }
}

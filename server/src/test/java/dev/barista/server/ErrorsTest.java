package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every refused request gets OpenAI's error shape and status, surfaces as the SDK's exception, and
 * is followed by a request that still succeeds.
 */
class ErrorsTest {
  private static final String KEY = "test-key-123";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static OpenAIClient client;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyTokenIdModel(), "auto",
        o -> o.withApiKey(KEY).withMaxRequestBodyBytes(64 * 1024));
    client = server.client(KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void serverStillServes() {
    Completion ok = client.completions().create(valid().build());
    assertEquals(2, ok.usage().orElseThrow().completionTokens());
    assertEquals(0, server.server.context().metrics().inFlight());
  }

  private static CompletionCreateParams.Builder valid() {
    return CompletionCreateParams.builder().model("tiny")
        .prompt(CompletionCreateParams.Prompt.ofArrayOfTokens(List.of(1L, 2L, 3L)))
        .maxTokens(2).putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
  }

  private static HttpResponse<String> post(String path, String body, String key)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) b.header("Authorization", "Bearer " + key);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
    JsonNode e = JSON.readTree(r.body()).get("error");
    assertTrue(e.get("message").isTextual() && e.has("type") && e.has("param") && e.has("code"),
        r.body());
    assertEquals(status, e.get("code").asInt());
    return e;
  }

  @Test
  void unknownModelIs404() {
    NotFoundException e = assertThrows(NotFoundException.class,
        () -> client.completions().create(valid().model("no-such-model").build()));
    assertEquals(404, e.statusCode());
    assertTrue(e.getMessage().contains("no-such-model"), e.getMessage());
  }

  @Test
  void wrongOrMissingKeyIs401AndTheKeyIsNotEchoed() throws Exception {
    UnauthorizedException e = assertThrows(UnauthorizedException.class,
        () -> server.client("wrong-key").completions().create(valid().build()));
    assertEquals(401, e.statusCode());
    JsonNode err = error(post("/v1/completions", "{}", null), 401);
    assertTrue(!err.toString().contains(KEY));
    // health and metrics stay open, as in vLLM
    assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
  }

  @Test
  void invalidFieldIs400NamingIt() throws Exception {
    BadRequestException e = assertThrows(BadRequestException.class,
        () -> client.completions().create(valid().temperature(-1.0).build()));
    assertEquals(400, e.statusCode());
    assertEquals("temperature", e.param().orElseThrow());
    JsonNode err = error(post("/v1/completions",
        "{\"model\": \"tiny\", \"prompt\": [1, 2], \"max_tokens\": \"7\"}", KEY), 400);
    assertEquals("max_tokens", err.get("param").asText());
    err = error(post("/v1/completions", "{\"prompt\": [1, 5000]}", KEY), 400);
    assertEquals("prompt", err.get("param").asText());
    assertTrue(err.get("message").asText().contains("5000"));
    err = error(post("/v1/completions", "{\"prompt\": [1, 2], \"top_p\": 0}", KEY), 400);
    assertEquals("top_p", err.get("param").asText());
    error(post("/v1/completions", "{not json", KEY), 400);
    error(post("/v1/completions", "[1, 2]", KEY), 400);
  }

  @Test
  void promptLongerThanTheContextIs400WithTheCounts() {
    List<Long> longPrompt = java.util.stream.LongStream.range(0, 500).map(i -> 3 + i % 50)
        .boxed().toList();
    BadRequestException e = assertThrows(BadRequestException.class,
        () -> client.completions().create(valid()
            .prompt(CompletionCreateParams.Prompt.ofArrayOfTokens(longPrompt)).maxTokens(20)
            .build()));
    // max_model_len is 512 in TestServer: 500 + 20 = 520 tokens requested
    assertTrue(e.getMessage().contains("512") && e.getMessage().contains("520")
        && e.getMessage().contains("500"), e.getMessage());
    assertEquals("max_tokens", e.param().orElseThrow());
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405() throws Exception {
    error(post("/v1/nothing-here", "{}", KEY), 404);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create(server.baseUrl() + "/v1/completions")).header("Authorization", "Bearer " + KEY)
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    error(r, 405);
    assertEquals("POST", r.headers().firstValue("allow").orElseThrow());
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"prompt\": [" + "1,".repeat(40_000) + "1]}";
    error(post("/v1/completions", big, KEY), 413);
  }

  @Test
  void responseFormatAndStructuredToolChoiceAreClear400s() throws Exception {
    JsonNode err = error(post("/v1/completions", "{\"prompt\": [1, 2], \"response_format\": "
        + "{\"type\": \"json_object\"}}", KEY), 400);
    assertEquals("response_format", err.get("param").asText());
  }
}

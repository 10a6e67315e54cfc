package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /v1/completions with token-id prompts on a real tiny model, through the official OpenAI SDK. */
class TokenIdCompletionsTest {
  private static TestServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyTokenIdModel(), "auto",
        o -> o.withServedModelNames(List.of("tiny", "alias")));
    client = server.client("unused");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CompletionCreateParams.Builder request(List<Long> prompt, long maxTokens) {
    return CompletionCreateParams.builder().model("tiny")
        .prompt(CompletionCreateParams.Prompt.ofArrayOfTokens(prompt))
        .maxTokens(maxTokens)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
  }

  @Test
  void tokenIdPromptWithNAndLogprobs() {
    Completion c = client.completions().create(request(List.of(5L, 17L, 42L, 99L), 6)
        .n(3).logprobs(2).temperature(1.0).seed(7L).build());
    assertEquals("tiny", c.model());
    assertEquals(3, c.choices().size());
    for (int i = 0; i < 3; i++) {
      CompletionChoice ch = c.choices().get(i);
      assertEquals(i, ch.index());
      assertEquals(CompletionChoice.FinishReason.LENGTH, ch.finishReason());
      CompletionChoice.Logprobs lp = ch.logprobs().orElseThrow();
      assertEquals(6, lp.tokens().orElseThrow().size());
      assertEquals(6, lp.tokenLogprobs().orElseThrow().size());
      for (double v : lp.tokenLogprobs().orElseThrow()) assertTrue(v <= 0, "logprob " + v);
      // top 2 plus the sampled token when it is not among them
      lp.topLogprobs().orElseThrow().forEach(m -> {
        int size = m._additionalProperties().size();
        assertTrue(size == 2 || size == 3, "top_logprobs size " + size);
      });
    }
    assertEquals(4, c.usage().orElseThrow().promptTokens());
    assertEquals(18, c.usage().orElseThrow().completionTokens());
  }

  @Test
  void greedyIsTheSameStreamedOrNotAndForEachPromptOfABatch() {
    List<Long> p = List.of(3L, 1L, 4L, 1L, 5L, 9L, 2L, 6L);
    Completion whole = client.completions().create(request(p, 8).temperature(0.0).logprobs(0)
        .build());
    List<String> wholeTokens = whole.choices().get(0).logprobs().orElseThrow().tokens()
        .orElseThrow();
    List<String> streamed = new ArrayList<>();
    List<CompletionChoice.FinishReason> finishes = new ArrayList<>();
    try (StreamResponse<Completion> s = client.completions().createStreaming(
        request(p, 8).temperature(0.0).logprobs(0).build())) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
        ch.logprobs().flatMap(CompletionChoice.Logprobs::tokens).ifPresent(streamed::addAll);
        ch._finishReason().asKnown().ifPresent(finishes::add);
      }));
    }
    assertEquals(wholeTokens, streamed);
    assertEquals(CompletionChoice.FinishReason.LENGTH, finishes.getLast());
    // a list of token-id prompts: each answered as if alone, choices ordered by prompt
    Completion batch = client.completions().create(CompletionCreateParams.builder().model("tiny")
        .prompt(CompletionCreateParams.Prompt.ofArrayOfTokenArrays(List.of(List.of(7L, 8L), p)))
        .maxTokens(8).temperature(0.0).logprobs(0)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());
    assertEquals(2, batch.choices().size());
    assertEquals(1, batch.choices().get(1).index());
    assertEquals(wholeTokens, batch.choices().get(1).logprobs().orElseThrow().tokens()
        .orElseThrow());
    assertEquals(10, batch.usage().orElseThrow().promptTokens());
  }

  @Test
  void beamSearchOfOneIsGreedyAndOfThreeGivesThreeBestFirst() {
    List<Long> p = List.of(3L, 1L, 4L, 1L, 5L, 9L, 2L, 6L);
    List<String> greedy = client.completions().create(request(p, 6).temperature(0.0).logprobs(0).build())
        .choices().get(0).logprobs().orElseThrow().tokens().orElseThrow();
    Completion one = client.completions().create(request(p, 6).logprobs(0)
        .putAdditionalBodyProperty("use_beam_search", JsonValue.from(true)).build());
    assertEquals(greedy, one.choices().get(0).logprobs().orElseThrow().tokens().orElseThrow());
    Completion three = client.completions().create(request(p, 6).n(3).logprobs(0)
        .putAdditionalBodyProperty("use_beam_search", JsonValue.from(true)).build());
    assertEquals(3, three.choices().size());
    java.util.Set<List<String>> beams = new java.util.HashSet<>();
    double previous = Double.POSITIVE_INFINITY;
    for (int i = 0; i < 3; i++) {
      CompletionChoice ch = three.choices().get(i);
      assertEquals(i, ch.index());
      CompletionChoice.Logprobs lp = ch.logprobs().orElseThrow();
      assertTrue(beams.add(lp.tokens().orElseThrow()), "beam " + i + " repeats another");
      double sum = lp.tokenLogprobs().orElseThrow().stream().mapToDouble(Double::doubleValue).sum();
      assertTrue(sum <= previous + 1e-9, "beams out of order"); // same lengths: by cumulative logprob
      previous = sum;
    }
    assertEquals(18, three.usage().orElseThrow().completionTokens());
    // streaming is refused with the OpenAI error shape
    var e = org.junit.jupiter.api.Assertions.assertThrows(com.openai.errors.BadRequestException.class,
        () -> client.completions().createStreaming(request(p, 6)
            .putAdditionalBodyProperty("use_beam_search", JsonValue.from(true)).build()).stream().count());
    assertTrue(e.getMessage().contains("use_beam_search"), e.getMessage());
  }

  @Test
  void modelsVersionLoadAndPrometheusMetrics() throws Exception {
    List<String> ids = client.models().list().data().stream().map(m -> m.id()).toList();
    assertEquals(List.of("tiny", "alias"), ids); // one card per served name, as vLLM
    client.completions().create(request(List.of(9L, 8L), 3).build());
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.baseUrl() + path)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    assertTrue(get.apply("/version").body().contains("\"version\""));
    assertEquals("{\"server_load\":0}", get.apply("/load").body());
    var metrics = get.apply("/metrics");
    assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
    String text = metrics.body();
    for (String name : List.of("vllm:num_requests_running", "vllm:num_requests_waiting",
        "vllm:kv_cache_usage_perc", "vllm:prompt_tokens_total", "vllm:generation_tokens_total",
        "vllm:request_success_total", "vllm:time_to_first_token_seconds_bucket",
        "vllm:inter_token_latency_seconds_count", "vllm:e2e_request_latency_seconds_sum")) {
      assertTrue(text.contains(name + "{model_name=\"tiny\""), name + " in\n" + text);
    }
    // every sample line is "name{labels} value" with a parsable value
    text.lines().filter(l -> !l.startsWith("#")).forEach(l -> Double.parseDouble(
        l.substring(l.lastIndexOf(' ') + 1).replace("+Inf", "Infinity")));
  }

  @Test
  void anyServedNameIsAcceptedAndTheFirstAnswers() {
    Completion c = client.completions().create(request(List.of(4L, 5L), 2).model("alias").build());
    assertEquals("tiny", c.model());
  }

  @Test
  void promptLogprobsCoverEveryPromptPositionButTheFirst() throws Exception {
    Completion c = client.completions().create(request(List.of(4L, 5L, 6L, 7L), 2)
        .putAdditionalBodyProperty("prompt_logprobs", JsonValue.from(1)).build());
    com.fasterxml.jackson.databind.JsonNode pl = new com.fasterxml.jackson.databind.ObjectMapper()
        .valueToTree(c.choices().get(0)._additionalProperties().get("prompt_logprobs")
            .convert(Object.class));
    assertEquals(4, pl.size());
    assertTrue(pl.get(0).isNull());
    for (int i = 1; i < 4; i++) {
      String id = Long.toString(List.of(4L, 5L, 6L, 7L).get(i));
      assertTrue(pl.get(i).has(id), pl.get(i).toString());
      assertTrue(pl.get(i).get(id).get("logprob").asDouble() <= 0);
    }
  }

  @Test
  void stopTokenIdsEndTheCompletionWithStopReason() {
    Completion first = client.completions().create(request(List.of(11L, 12L, 13L), 4)
        .temperature(0.0).logprobs(0).build());
    String third = first.choices().get(0).logprobs().orElseThrow().tokens().orElseThrow().get(2);
    int stopId = Integer.parseInt(third.substring("token_id:".length()));
    Completion stopped = client.completions().create(request(List.of(11L, 12L, 13L), 4)
        .temperature(0.0).putAdditionalBodyProperty("stop_token_ids",
            JsonValue.from(List.of(stopId))).build());
    CompletionChoice ch = stopped.choices().get(0);
    assertEquals(CompletionChoice.FinishReason.STOP, ch.finishReason());
    assertEquals(3, stopped.usage().orElseThrow().completionTokens());
    assertEquals(stopId, ch._additionalProperties().get("stop_reason").convert(Integer.class));
  }
}

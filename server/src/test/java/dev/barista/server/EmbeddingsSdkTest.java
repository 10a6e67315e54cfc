package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /v1/embeddings through the official OpenAI SDK, against LLM.embed on the same model. */
class EmbeddingsSdkTest {
  private static TestServer server;
  private static OpenAIClient client;
  private static final List<Long> A = List.of(5L, 17L, 42L, 99L);
  private static final List<Long> B = List.of(3L, 1L, 4L, 1L, 5L);

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyTokenIdModel(), "auto", o -> o.withServedModelNames(List.of("tiny")));
    client = server.client("unused");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CreateEmbeddingResponse embed(EmbeddingCreateParams.EncodingFormat format) {
    return client.embeddings().create(EmbeddingCreateParams.builder().model("tiny")
        .input(EmbeddingCreateParams.Input.ofArrayOfTokenArrays(List.of(A, B))).encodingFormat(format).build());
  }

  @Test
  void unitEmbeddingsAsTheEngineGivesThemInBothEncodings() {
    CreateEmbeddingResponse floats = embed(EmbeddingCreateParams.EncodingFormat.FLOAT);
    CreateEmbeddingResponse base64 = embed(EmbeddingCreateParams.EncodingFormat.BASE64);
    assertEquals(2, floats.data().size());
    assertEquals(9, floats.usage().promptTokens());
    float[][] want;
    try (LLM llm = new LLM(EngineArgs.builder(TestServer.tinyTokenIdModel()).device("cpu").maxModelLen(64)
        .kvCacheMemory(8L << 20).build())) {
      want = llm.embed(List.of(PromptInput.tokens(A.stream().map(Long::intValue).toList()),
          PromptInput.tokens(B.stream().map(Long::intValue).toList()))).stream()
          .map(o -> o.outputs().embedding()).toArray(float[][]::new);
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(i, floats.data().get(i).index());
      List<Float> f = floats.data().get(i).embedding();
      List<Float> b = base64.data().get(i).embedding();
      assertEquals(want[i].length, f.size());
      double norm = 0;
      for (int j = 0; j < f.size(); j++) {
        assertEquals(want[i][j], f.get(j), 1e-6);
        assertEquals(f.get(j), b.get(j)); // the same float32 values either way
        norm += f.get(j) * f.get(j);
      }
      assertEquals(1.0, norm, 1e-5);
    }
    assertNotEquals(floats.data().get(0).embedding(), floats.data().get(1).embedding());
  }

  @Test
  void scoreIsTheCosineOfTheEmbeddings() throws Exception {
    List<Float> a = embed(EmbeddingCreateParams.EncodingFormat.FLOAT).data().get(0).embedding();
    List<Float> b = embed(EmbeddingCreateParams.EncodingFormat.FLOAT).data().get(1).embedding();
    double cosine = 0;
    for (int i = 0; i < a.size(); i++) cosine += (double) a.get(i) * b.get(i);
    var http = java.net.http.HttpClient.newHttpClient();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> post = body -> {
      try {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/score"))
            .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    var ok = post.apply("{\"model\": \"tiny\", \"text_1\": " + A + ", \"text_2\": [" + A + ", " + B + "]}");
    assertEquals(200, ok.statusCode(), ok.body());
    var data = mapper.readTree(ok.body()).get("data");
    assertEquals(1.0, data.get(0).get("score").asDouble(), 1e-5);
    assertEquals(cosine, data.get(1).get("score").asDouble(), 1e-5);
    var bad = post.apply("{\"model\": \"tiny\", \"text_1\": [" + A + ", " + B + "], \"text_2\": [" + A + "]}");
    assertEquals(400, bad.statusCode());
    assertTrue(mapper.readTree(bad.body()).get("error").get("message").asText().contains("text_1"), bad.body());
  }

  @Test
  void otherDimensionsAreRefusedWithTheOpenAiErrorShape() {
    BadRequestException e = assertThrows(BadRequestException.class, () -> client.embeddings().create(
        EmbeddingCreateParams.builder().model("tiny").input(EmbeddingCreateParams.Input.ofArrayOfTokens(A))
            .dimensions(3).build()));
    assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
  }
}

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
  void otherDimensionsAreRefusedWithTheOpenAiErrorShape() {
    BadRequestException e = assertThrows(BadRequestException.class, () -> client.embeddings().create(
        EmbeddingCreateParams.builder().model("tiny").input(EmbeddingCreateParams.Input.ofArrayOfTokens(A))
            .dimensions(3).build()));
    assertTrue(e.getMessage().contains("dimensions"), e.getMessage());
  }
}

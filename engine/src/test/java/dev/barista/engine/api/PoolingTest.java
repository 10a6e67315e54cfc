package dev.barista.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.weights.SafetensorsFile;
import dev.barista.engine.weights.Tensor;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM.encode / embed / score on tiny-llama (CPU). The pooled vector is the hidden state the LM head
 * reads, so the LM head's weights applied to it must give transformers' logits of the prompt's
 * last position.
 */
class PoolingTest {
  static ReferenceModel ref;
  static LLM llm;

  @BeforeAll
  static void start() throws Exception {
    ref = ReferenceModel.load("tiny-llama");
    llm = new LLM(EngineArgs.builder(ref.dir()).device("cpu").maxModelLen(128).kvCacheMemory(16L << 20).build());
  }

  @AfterAll
  static void stop() {
    llm.close();
  }

  private static PromptInput prompt(int c) {
    return PromptInput.tokens(Arrays.stream(ref.cases().get(c).promptIds()).boxed().toList());
  }

  @Test
  void thePooledStateGivesTransformersLogitsThroughTheLmHead() throws Exception {
    List<PoolingRequestOutput> out = llm.encode(List.of(prompt(0), prompt(1), prompt(2)));
    try (SafetensorsFile f = SafetensorsFile.open(ref.dir().resolve("model.safetensors"))) {
      Tensor lmHead = f.tensor("lm_head.weight");
      for (int c = 0; c < 3; c++) {
        float[] h = out.get(c).outputs().data();
        assertEquals(lmHead.cols(), h.length);
        double[] logits = new double[lmHead.rows()];
        for (int v = 0; v < logits.length; v++) {
          for (int i = 0; i < h.length; i++) logits[v] += lmHead.get((long) v * h.length + i) * h[i];
        }
        double[] ours = ReferenceModel.logSoftmax(logits);
        double[] want = ReferenceModel.logSoftmax(ref.cases().get(c).lastLogits());
        for (int v = 0; v < ours.length; v++) assertEquals(want[v], ours[v], ref.tolerance(), "case " + c + " token " + v);
      }
    }
  }

  @Test
  void embeddingsAreTheUnitPooledStatesAndScoresTheirCosines() {
    float[] pooled = llm.encode(List.of(prompt(1))).getFirst().outputs().data();
    float[] e = llm.embed(List.of(prompt(1))).getFirst().outputs().embedding();
    double norm = 0;
    for (float x : pooled) norm += (double) x * x;
    norm = Math.sqrt(norm);
    for (int i = 0; i < e.length; i++) assertEquals(pooled[i] / norm, e[i], 1e-6);
    List<ScoringRequestOutput> s = llm.score(List.of(prompt(1)), List.of(prompt(1), prompt(2)));
    assertEquals(1.0, s.get(0).outputs().score(), 1e-6);
    double cross = s.get(1).outputs().score();
    assertEquals(cross, llm.score(List.of(prompt(2)), List.of(prompt(1))).getFirst().outputs().score(), 1e-6);
    assertTrue(Math.abs(cross) < 1 - 1e-6, "two different prompts scored " + cross);
    assertThrows(InvalidParameterException.class,
        () -> llm.score(List.of(prompt(0), prompt(1)), List.of(prompt(0), prompt(1), prompt(2))));
  }
}

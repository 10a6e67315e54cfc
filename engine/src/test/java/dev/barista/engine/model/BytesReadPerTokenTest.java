package dev.barista.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.config.ModelConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The bytes a one-token decode step reads, which the decode benchmarks' rooflines divide by. */
class BytesReadPerTokenTest {
  private static final Path MODELS = Path.of("src/test/resources/models");

  /** From the config's dimensions: attention, router, shared expert and gate, k experts, LM head. */
  @Test
  void aSparseLayerReadsItsChosenExpertsOnly() {
    try (LoadedModel m = ModelLoader.loadModel(MODELS.resolve("tiny-qwen2moe"), LoadOptions.auto())) {
      ModelConfig c = m.config();
      long h = c.hiddenSize();
      long attention = h * c.qDim() * 2 + h * c.kvDim() * 2;
      long shared = 3 * h * c.moe().sharedIntermediate() + h;
      long router = c.moe().experts() * h;
      long expert = 3 * h * c.moe().expertIntermediate();
      long lmHead = c.vocabSize() * h;
      for (int k : new int[] {1, 2}) {
        long elements = c.numLayers() * (attention + shared + router + k * expert) + lmHead;
        assertEquals(2 * elements, m.weights().bytesReadPerToken(k), "bf16, " + k + " experts a token");
      }
    }
  }

  @Test
  void aDenseModelReadsEveryProjection() {
    try (LoadedModel m = ModelLoader.loadModel(MODELS.resolve("tiny-qwen2"), LoadOptions.auto())) {
      ModelConfig c = m.config();
      long h = c.hiddenSize();
      long layer = h * c.qDim() * 2 + h * c.kvDim() * 2 + 3 * h * c.intermediateSize();
      long lmHead = c.vocabSize() * h;
      assertEquals(2 * (c.numLayers() * layer + lmHead), m.weights().bytesReadPerToken(0));
    }
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Llama 4's router, and its multimodal checkpoint served for text. */
class Llama4ArchitectureTest {

  @Test
  void theRouterWeighsTheTopLogitsByTheirOwnSigmoidUnnormalised() {
    float[] logits = {0.5f, 2f, -1f, 2f};
    float[] weight = new float[4];
    float sigmoidOf2 = 0.8807970779778823f; // 1 / (1 + e^-2)
    MixtureOfExperts.routeBySigmoid(logits, 0, 4, 2, weight);
    assertArrayEquals(new float[] {0, sigmoidOf2, 0, sigmoidOf2}, weight, 1e-7f);
    MixtureOfExperts.routeBySigmoid(logits, 0, 4, 1, weight);
    assertArrayEquals(new float[] {0, sigmoidOf2, 0, 0}, weight, 1e-7f, "the lower index among equals");
  }

  /**
   * Llama4ForConditionalGeneration as the hub stores it: the text model's config under text_config
   * and its tensors under language_model., which must give tiny-llama4's own continuation.
   */
  @Test
  void theMultimodalCheckpointContinuesAsItsTextModel(@TempDir Path dir) throws Exception {
    ModelFolders.copy("tiny-llama4", dir);
    ModelFolders.editConfig(dir, c -> {
      ObjectNode text = c.deepCopy();
      text.remove("architectures");
      c.removeAll();
      c.putArray("architectures").add("Llama4ForConditionalGeneration");
      c.put("model_type", "llama4");
      c.set("text_config", text);
      c.putObject("vision_config").put("model_type", "llama4_vision_model");
    });
    ModelFolders.editHeader(dir, h -> {
      List<String> names = new ArrayList<>();
      h.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        if (!n.equals("__metadata__")) h.set("language_model." + n, h.remove(n));
      }
    });
    ReferenceModel ref = ReferenceModel.load("tiny-llama4");
    ReferenceModel.Case c = ref.cases().get(2);
    assertArrayEquals(ModelRuns.greedy(ref.dir(), c.promptIds(), 12), ModelRuns.greedy(dir, c.promptIds(), 12));
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MistralForCausalLM is Llama's computation plus an optional sliding attention window: with a
 * window longer than the sequence it must reproduce the Llama reference exactly; with a short one
 * it must differ.
 */
class MistralArchitectureTest {

  @Test
  void mistralWithALongWindowMatchesTheLlamaReference(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelFolders.copy("tiny-llama", tmp);
    ModelFolders.editConfig(tmp, c -> {
      ((ArrayNode) c.putArray("architectures")).add("MistralForCausalLM");
      c.put("sliding_window", 4096);
    });
    ReferenceModel.Case c = ref.cases().get(0);
    assertArrayEquals(Arrays.copyOf(c.greedyIds(), 16), ModelRuns.greedy(tmp, c.promptIds(), 16));
  }

  @Test
  void aShortWindowChangesTheResult(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelFolders.copy("tiny-llama", tmp);
    ModelFolders.editConfig(tmp, c -> {
      ((ArrayNode) c.putArray("architectures")).add("MistralForCausalLM");
      c.put("sliding_window", 4);
    });
    ReferenceModel.Case c = ref.cases().get(2); // 40-token prompt, far longer than the window
    assertFalse(Arrays.equals(Arrays.copyOf(c.greedyIds(), 16), ModelRuns.greedy(tmp, c.promptIds(), 16)));
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MistralForCausalLM is Llama's computation plus an optional sliding attention window: with a
 * window longer than the sequence it must reproduce the Llama reference exactly; with a short one
 * it must differ.
 */
class MistralArchitectureTest {

  private static int[] greedy(Path dir, int[] prompt, int steps) {
    try (CpuModelRunner runner = ModelLoader.load(dir, LoadOptions.auto())) {
      runner.allocateKvCache(16, 16);
      return new SequenceDriver(SequenceSamplingState.create(SequenceDriver.greedy(), prompt,
          List.of(), runner.config().vocabSize()), 16, new SequenceDriver.BlockCounter())
          .generate(runner, steps);
    }
  }

  @Test
  void mistralWithALongWindowMatchesTheLlamaReference(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelFolders.copy("tiny-llama", tmp);
    ModelFolders.editConfig(tmp, c -> {
      ((ArrayNode) c.putArray("architectures")).add("MistralForCausalLM");
      c.put("sliding_window", 4096);
    });
    ReferenceModel.Case c = ref.cases().get(0);
    assertArrayEquals(Arrays.copyOf(c.greedyIds(), 16), greedy(tmp, c.promptIds(), 16));
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
    assertFalse(Arrays.equals(Arrays.copyOf(c.greedyIds(), 16), greedy(tmp, c.promptIds(), 16)));
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SmolLM3ForCausalLM is Llama's computation with no positional rotation in the layers its
 * no_rope_layers marks 0. With every layer rotating it must reproduce transformers' Llama outputs;
 * without rotation anywhere it must equal Llama with rotations of ~0 angle (a linear scaling by
 * 1e30); rotating in one layer of two must give a third model.
 */
class SmolLM3ArchitectureTest {

  private static Path smolLm3(Path dir, int... noRopeLayers) throws Exception {
    ModelFolders.copy("tiny-llama", Files.createDirectory(dir));
    ModelFolders.editConfig(dir, c -> {
      ((ArrayNode) c.putArray("architectures")).add("SmolLM3ForCausalLM");
      c.put("model_type", "smollm3");
      ArrayNode layers = c.putArray("no_rope_layers");
      for (int r : noRopeLayers) layers.add(r);
    });
    return dir;
  }

  @Test
  void rotatingInEveryLayerIsLlama(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelRuns.assertMatchesReference(ref, smolLm3(tmp.resolve("all"), 1, 1), "smollm3");
  }

  @Test
  void noPeLayersSkipTheRotation(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    int[] prompt = ref.cases().get(2).promptIds();
    Path none = smolLm3(tmp.resolve("none"), 0, 0);
    Path stillLlama = ModelFolders.copy("tiny-llama", Files.createDirectory(tmp.resolve("still")));
    ModelFolders.editConfig(stillLlama, c -> c.putObject("rope_scaling").put("type", "linear").put("factor", 1e30));
    double[] noRotation = ModelRuns.lastLogprobs(none, prompt);
    double gap = ModelRuns.maxDifference(noRotation, ModelRuns.lastLogprobs(stillLlama, prompt));
    assertTrue(gap < 1e-4, "no rotation vs angles of ~0: " + gap);
    double[] both = ModelRuns.lastLogprobs(ref.dir(), prompt);
    double[] second = ModelRuns.lastLogprobs(smolLm3(tmp.resolve("second"), 1, 0), prompt);
    assertTrue(ModelRuns.maxDifference(second, both) > 1e-3, "the second layer still rotates");
    assertTrue(ModelRuns.maxDifference(second, noRotation) > 1e-3, "the first layer stopped rotating");
    assertFalse(ModelRuns.maxDifference(noRotation, both) < 1e-3);
  }
}

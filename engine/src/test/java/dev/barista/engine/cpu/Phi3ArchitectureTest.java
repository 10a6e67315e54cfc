package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ModelFolders.RawTensor;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phi3ForCausalLM computes what Llama computes, from a checkpoint whose q/k/v and gate/up weights
 * are fused into one qkv_proj and one gate_up_proj (rows stacked in that order, as transformers
 * splits them). The Llama reference model, fused this way, must reproduce transformers' Llama
 * outputs; a short sliding window, which Phi-3 honours, must change them.
 */
class Phi3ArchitectureTest {

  /** tiny-llama's weights with the projections fused as Phi-3 stores them. */
  static Path fusedLlama(Path dir, int slidingWindow) throws Exception {
    ModelFolders.copy("tiny-llama", dir);
    Map<String, RawTensor> llama = ModelFolders.readTensors(dir);
    Map<String, RawTensor> phi3 = new LinkedHashMap<>();
    for (var e : llama.entrySet()) {
      String name = e.getKey();
      if (name.endsWith("self_attn.q_proj.weight")) {
        String p = name.substring(0, name.length() - "q_proj.weight".length());
        phi3.put(p + "qkv_proj.weight", RawTensor.stack(e.getValue(), llama.get(p + "k_proj.weight"),
            llama.get(p + "v_proj.weight")));
      } else if (name.endsWith("mlp.gate_proj.weight")) {
        String p = name.substring(0, name.length() - "gate_proj.weight".length());
        phi3.put(p + "gate_up_proj.weight", RawTensor.stack(e.getValue(), llama.get(p + "up_proj.weight")));
      } else if (!name.matches(".*\\.(k_proj|v_proj|up_proj)\\.weight")) {
        phi3.put(name, e.getValue());
      }
    }
    ModelFolders.writeTensors(dir, phi3);
    ModelFolders.editConfig(dir, c -> {
      ((ArrayNode) c.putArray("architectures")).add("Phi3ForCausalLM");
      c.put("model_type", "phi3");
      c.put("sliding_window", slidingWindow);
    });
    return dir;
  }

  @Test
  void fusedProjectionsReproduceTheLlamaReference(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelRuns.assertMatchesReference(ref, fusedLlama(tmp, 4096), "phi3");
  }

  @Test
  void aShortWindowChangesTheResult(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    Path dir = fusedLlama(tmp, 4);
    ReferenceModel.Case c = ref.cases().get(2); // 40-token prompt, far longer than the window
    assertFalse(Arrays.equals(Arrays.copyOf(c.greedyIds(), 16), ModelRuns.greedy(dir, c.promptIds(), 16)));
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ModelFolders.RawTensor;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GraniteForCausalLM is Llama's computation with scalar multipliers: embeddings times
 * embedding_multiplier, each attention and MLP output times residual_multiplier, attention_multiplier
 * as the softmax scale, logits divided by logits_scaling. tiny-llama's weights divided by powers of
 * two that those multipliers undo exactly must reproduce transformers' Llama outputs.
 */
class GraniteArchitectureTest {

  private static Path granite(Path dir, boolean compensated) throws Exception {
    ModelFolders.copy("tiny-llama", Files.createDirectory(dir));
    ModelFolders.editConfig(dir, c -> {
      ((ArrayNode) c.putArray("architectures")).add("GraniteForCausalLM");
      c.put("model_type", "granite").put("embedding_multiplier", 2.0).put("residual_multiplier", 0.5)
          .put("logits_scaling", 4.0).put("attention_multiplier", 0.5); // Llama's scale: 1/sqrt(16)
    });
    if (compensated) {
      Map<String, RawTensor> t = ModelFolders.readTensors(dir);
      t.replaceAll((name, w) -> name.endsWith("embed_tokens.weight") ? w.timesF32(0.5f)
          : name.matches(".*\\.(o_proj|down_proj)\\.weight") ? w.timesF32(2f)
          : name.equals("lm_head.weight") ? w.timesF32(4f)
          : name.endsWith("q_proj.weight") ? w.timesF32(0.5f) // 0.5 * q . k * 0.5 = q . k / 4
          : w);
      ModelFolders.writeTensors(dir, t);
    }
    return dir;
  }

  @Test
  void multipliersUndoneByTheWeightsGiveLlama(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ModelRuns.assertMatchesReference(ref, granite(tmp.resolve("granite"), true), "granite");
  }

  @Test
  void theMultipliersChangeLlamasWeights(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    ReferenceModel.Case c = ref.cases().get(2);
    assertFalse(Arrays.equals(Arrays.copyOf(c.greedyIds(), 16),
        ModelRuns.greedy(granite(tmp.resolve("plain"), false), c.promptIds(), 16)));
  }
}

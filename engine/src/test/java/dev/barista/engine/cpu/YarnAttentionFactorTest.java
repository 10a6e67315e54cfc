package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ModelFolders.RawTensor;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * YaRN's attention factor multiplies the rotated queries and keys, so every attention score
 * carries its square. With factor 1 (frequencies unchanged) a yarn model must therefore compute
 * exactly what the plain model computes with its q_proj scaled by the factor squared (Llama has
 * no q norm to undo that), and something else than the plain model.
 */
class YarnAttentionFactorTest {
  private static final double ATTENTION_FACTOR = 1.3;

  @Test
  void theAttentionFactorScalesEveryScoreByItsSquare(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    int[] prompt = ref.cases().get(2).promptIds();

    Path yarn = ModelFolders.copy("tiny-llama", Files.createDirectory(tmp.resolve("yarn")));
    ModelFolders.editConfig(yarn, c -> c.putObject("rope_scaling").put("rope_type", "yarn")
        .put("factor", 1.0).put("attention_factor", ATTENTION_FACTOR)
        .put("original_max_position_embeddings", 2048));

    Path scaledQ = ModelFolders.copy("tiny-llama", Files.createDirectory(tmp.resolve("scaled")));
    Map<String, RawTensor> tensors = ModelFolders.readTensors(scaledQ);
    tensors.replaceAll((name, t) -> name.endsWith("q_proj.weight")
        ? t.timesF32((float) (ATTENTION_FACTOR * ATTENTION_FACTOR)) : t);
    ModelFolders.writeTensors(scaledQ, tensors);

    double[] withYarn = ModelRuns.lastLogprobs(yarn, prompt);
    double[] withScaledQ = ModelRuns.lastLogprobs(scaledQ, prompt);
    double[] plain = ModelRuns.lastLogprobs(ref.dir(), prompt);
    assertTrue(ModelRuns.maxDifference(withYarn, withScaledQ) < 1e-4,
        "yarn vs scaled q: " + ModelRuns.maxDifference(withYarn, withScaledQ));
    assertTrue(ModelRuns.maxDifference(withYarn, plain) > 1e-2, "the factor changed nothing: " + ModelRuns.maxDifference(withYarn, plain));
  }
}

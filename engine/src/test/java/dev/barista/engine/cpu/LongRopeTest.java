package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.model.RopeFrequencies;
import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LongRoPE: each position rotates by its own table, the short one below the original context. */
class LongRopeTest {

  @Test
  void eachPositionRotatesByTheTableOfItsSide() {
    double[] shortTable = {0.9, 0.3}, longTable = {0.2, 0.05};
    Rope rope = new Rope(new RopeFrequencies.Rotary(shortTable, longTable, 8), 4);
    float[] x = {1, 2, 3, 4, 1, 2, 3, 4};
    int[] positions = {7, 8};
    rope.apply(x, 2, 1, positions);
    for (int t = 0; t < 2; t++) {
      double[] inv = positions[t] < 8 ? shortTable : longTable;
      for (int i = 0; i < 2; i++) {
        double angle = positions[t] * inv[i];
        double a = 1 + i, b = 3 + i; // pair i is (i, i + 2)
        assertEquals(a * Math.cos(angle) - b * Math.sin(angle), x[t * 4 + i], 1e-6, "token " + t + " pair " + i);
        assertEquals(b * Math.cos(angle) + a * Math.sin(angle), x[t * 4 + i + 2], 1e-6, "token " + t + " pair " + i);
      }
    }
  }

  private static void longRope(Path dir, int original, double longFactor) throws Exception {
    ModelFolders.editConfig(dir, c -> {
      int pairs = c.get("hidden_size").asInt() / c.get("num_attention_heads").asInt() / 2;
      ObjectNode rope = c.putObject("rope_scaling").put("rope_type", "longrope")
          .put("original_max_position_embeddings", original).put("attention_factor", 1.0);
      for (int i = 0; i < pairs; i++) {
        rope.withArray("short_factor").add(1.0);
        rope.withArray("long_factor").add(longFactor);
      }
    });
  }

  @Test
  void withinTheOriginalContextTheShortTableAloneApplies(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    longRope(ModelFolders.copy("tiny-llama", tmp), 4096, 3.0); // unit short factors: Llama's rotation
    ReferenceModel.Case c = ref.cases().get(2);
    ReferenceLogitsTest.assertClose(ReferenceModel.logSoftmax(c.lastLogits()),
        ModelRuns.lastLogprobs(tmp, c.promptIds()), ref.tolerance(), "longrope");
  }

  @Test
  void pastTheOriginalContextTheLongTableChangesTheResult(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    longRope(ModelFolders.copy("tiny-llama", tmp), 8, 3.0);
    ReferenceModel.Case c = ref.cases().get(2); // 40-token prompt: positions 8 on take the long table
    assertFalse(Arrays.equals(Arrays.copyOf(c.greedyIds(), 16), ModelRuns.greedy(tmp, c.promptIds(), 16)));
  }
}

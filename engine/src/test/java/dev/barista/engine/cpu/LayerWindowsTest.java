package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.barista.engine.testing.ModelFolders;
import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Qwen2 slides its window only on the layers from max_window_layers on. On tiny-qwen2 (two
 * layers) a short window on the second layer alone must give a third result, unlike a window on
 * both layers and unlike none; a window longer than the sequence must leave transformers' output.
 */
class LayerWindowsTest {

  private static Path qwen2(Path dir, int window, int maxWindowLayers) throws Exception {
    ModelFolders.copy("tiny-qwen2", Files.createDirectory(dir));
    ModelFolders.editConfig(dir, c -> c.put("use_sliding_window", true).put("sliding_window", window)
        .put("max_window_layers", maxWindowLayers));
    return dir;
  }

  @Test
  void aWindowOnTheSecondLayerAloneIsItsOwnModel(@TempDir Path tmp) throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-qwen2");
    ReferenceModel.Case c = ref.cases().get(2); // a prompt far longer than the window of 4
    int[] none = ModelRuns.greedy(ref.dir(), c.promptIds(), 16);
    int[] both = ModelRuns.greedy(qwen2(tmp.resolve("both"), 4, 0), c.promptIds(), 16);
    int[] second = ModelRuns.greedy(qwen2(tmp.resolve("second"), 4, 1), c.promptIds(), 16);
    assertFalse(Arrays.equals(none, second), "the second layer's window changed nothing");
    assertFalse(Arrays.equals(both, second), "the first layer slid too");
    int[] wide = ModelRuns.greedy(qwen2(tmp.resolve("wide"), 4096, 1), c.promptIds(), 16);
    assertArrayEquals(none, wide);
  }
}

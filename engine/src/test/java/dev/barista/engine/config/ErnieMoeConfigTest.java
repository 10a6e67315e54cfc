package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ERNIE 4.5 MoE's corrected softmax router, shared experts and sparse layers as its config states them. */
class ErnieMoeConfigTest {
  private static final Path MODELS = Path.of("src/test/resources/models");

  @TempDir Path dir;

  @Test
  void theTinyCheckpointRoutesByCorrectedSoftmaxFromItsSecondLayer() {
    ModelConfig c = ModelConfig.load(MODELS.resolve("tiny-ernie45moe"));
    Moe moe = c.moe();
    assertEquals(GroupedTopK.correctedSoftmax(), moe.groupedTopK());
    assertEquals(4, moe.experts());
    assertEquals(2, moe.topK());
    assertTrue(moe.normalizeTopK(), "always renormalised (moe_norm_min)");
    assertEquals(48, moe.sharedIntermediate(), "one shared expert of moe_intermediate_size 48");
    assertEquals(List.of(false, true, true), moe.sparseLayers(), "moe_layer_start_index 1 to moe_layer_end_index 2");
    assertEquals(16, c.rotaryDim(), "the whole head rotates");
  }

  /** Without the keys: layers from 1 to the last sparse, every moe_layer_interval-th counted from 1, tied embeddings. */
  @Test
  void missingKeysTakeTransformersDefaultsAndTheIntervalCountsFromOne() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Ernie4_5_MoeForCausalLM"], "hidden_size": 64, "num_attention_heads": 4, "head_dim": 16,
         "num_hidden_layers": 6, "intermediate_size": 128, "vocab_size": 100, "moe_layer_interval": 2}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals(List.of(false, true, false, true, false, true), c.moe().sparseLayers());
    assertEquals(64, c.moe().experts());
    assertEquals(6, c.moe().topK());
    assertEquals(2 * 1536, c.moe().sharedIntermediate());
    assertTrue(c.tieWordEmbeddings());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"use_bias\": false|\"use_bias\": true|use_bias",
      "\"moe_k\": 2|\"moe_k\": 5|moe_k",
      "\"moe_norm_min\": 1e-12|\"moe_norm_min\": 0.01|moe_norm_min",
      "\"moe_layer_interval\": 1|\"moe_layer_interval\": 0|moe_layer_interval"})
  void unsupportedSettingsAreRefusedNamingFileAndKey(String from, String to, String key) throws Exception {
    String config = Files.readString(MODELS.resolve("tiny-ernie45moe/config.json"));
    assertTrue(config.contains(from), from);
    Files.writeString(dir.resolve("config.json"), config.replace(from, to));
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains(key), e.getMessage());
  }
}

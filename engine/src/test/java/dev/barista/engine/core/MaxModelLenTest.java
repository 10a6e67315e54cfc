package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.config.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** max_model_len's ceiling, as vLLM derives it from config.json's context and rope scaling. */
class MaxModelLenTest {
  @TempDir Path dir;

  private ModelConfig config(String rope) throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Qwen3ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100,
         "max_position_embeddings": 40960%s}
        """.formatted(rope));
    return ModelConfig.load(dir);
  }

  private int maxModelLen(Integer requested, ModelConfig c) {
    return Engines.maxModelLen(EngineArgs.builder(dir).maxModelLen(requested).build(), c);
  }

  @Test
  void theTrainedContextWithoutScaling() throws Exception {
    ModelConfig c = config("");
    assertEquals(40960, maxModelLen(null, c));
    assertEquals(1024, maxModelLen(1024, c));
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> maxModelLen(40961, c));
    assertTrue(e.getMessage().contains("max_position_embeddings 40960"), e.getMessage());
  }

  @Test
  void yarnExtendsTheOriginalContextByItsFactor() throws Exception {
    // Qwen3's recipe for 131,072 tokens
    ModelConfig c = config(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0,"
        + " \"original_max_position_embeddings\": 32768}");
    assertEquals(131072, maxModelLen(null, c));
    assertEquals(131072, maxModelLen(131072, c));
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> maxModelLen(131073, c));
    assertTrue(e.getMessage().contains("rope scaling 131072"), e.getMessage());
  }

  @Test
  void linearScalingMultipliesTheContextAndOthersKeepIt() throws Exception {
    assertEquals(81920, maxModelLen(null, config(", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}")));
    // dynamic NTK is only unscaled within max_position_embeddings (see RopeScaling.DynamicNtk)
    assertEquals(40960, maxModelLen(null, config(", \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}")));
    assertEquals(40960, maxModelLen(null, config(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
        + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}")));
  }
}

package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A multimodal checkpoint's config read as its language model's (text_config), the rest from the top level. */
class MultimodalConfigTest {
  @TempDir Path dir;

  @Test
  void theTextConfigDescribesTheModelAndTheTopLevelFillsWhatItLacks() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Mistral3ForConditionalGeneration"], "torch_dtype": "float16", "eos_token_id": [2, 7],
         "text_config": {"model_type": "mistral", "hidden_size": 64, "num_attention_heads": 4,
           "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "sliding_window": null},
         "vision_config": {"model_type": "pixtral", "hidden_size": 32}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("MistralForCausalLM", c.architecture());
    assertEquals(64, c.hiddenSize());
    assertEquals(dev.barista.engine.weights.DType.F16, c.dtype());
    assertEquals(List.of(2, 7), c.eosTokenIds());
  }

  @Test
  void anUnknownTextModelIsRefusedNamingIt() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Qwen2VLForConditionalGeneration"], "text_config": {"model_type": "qwen2_vl"}}
        """);
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("Qwen2VLForConditionalGeneration (text model qwen2_vl)"), e.getMessage());
  }
}

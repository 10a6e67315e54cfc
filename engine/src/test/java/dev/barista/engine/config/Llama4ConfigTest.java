package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.testing.ReferenceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Llama 4's text config as transformers' Llama4TextConfig reads it, its defaults included. */
class Llama4ConfigTest {
  @TempDir Path dir;

  @Test
  void tinyLlama4ChunksItsRotatingLayersAndScalesTheQueriesOfTheOther() {
    ModelConfig c = ModelConfig.load(ReferenceModel.folder("tiny-llama4"));
    assertEquals("Llama4ForCausalLM", c.architecture());
    assertEquals(List.of(true, true, true, false), c.ropeLayers());
    assertEquals(new ChunkedAttention(8, List.of(true, true, true, false)), c.chunkedAttention());
    assertEquals(new AttentionTemperature(8, 0.1), c.attentionTemperature());
    assertTrue(c.useQkNorm());
    assertEquals(160, c.intermediateSize(), "dense layers: intermediate_size_mlp");
    Moe moe = c.moe();
    assertEquals(List.of(false, true, false, true), moe.sparseLayers());
    assertEquals(4, moe.experts());
    assertEquals(1, moe.topK());
    assertEquals(96, moe.expertIntermediate());
    assertEquals(96, moe.sharedIntermediate());
    assertTrue(moe.sigmoidScaledInputs());
  }

  private ModelConfig text(String extra) throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Llama4ForCausalLM"], "model_type": "llama4_text", "hidden_size": 64,
         "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "num_hidden_layers": 8,
         "intermediate_size": 96, "intermediate_size_mlp": 160, "vocab_size": 100, "num_local_experts": 4%s}
        """.formatted(extra));
    return ModelConfig.load(dir);
  }

  @Test
  void withoutTheListsEveryFourthLayerIsNoPeAndFullAndTheStepPlacesTheExperts() throws Exception {
    ModelConfig c = text(", \"interleave_moe_layer_step\": 2");
    List<Boolean> rotating = List.of(true, true, true, false, true, true, true, false);
    assertEquals(rotating, c.ropeLayers());
    assertEquals(new ChunkedAttention(8192, rotating), c.chunkedAttention());
    assertEquals(List.of(false, true, false, true, false, true, false, true), c.moe().sparseLayers());
    assertEquals(new AttentionTemperature(8192, 0.1), c.attentionTemperature());
  }

  @Test
  void temperatureTuningStatedAsANumberIsOnUnlessZero() throws Exception {
    assertEquals(new AttentionTemperature(8192, 0.1), text(", \"attn_temperature_tuning\": 4").attentionTemperature());
    assertNull(text(", \"attn_temperature_tuning\": 0").attentionTemperature());
    assertNull(text(", \"attn_temperature_tuning\": false").attentionTemperature());
  }

  @Test
  void chunkedLayersWithoutAChunkSizeAreRefusedNamingTheKey() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> text(", \"attention_chunk_size\": null"));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("attention_chunk_size"), e.getMessage());
  }

  @Test
  void moeLayersOutsideTheModelAreRefused() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> text(", \"moe_layers\": [1, 8]"));
    assertTrue(e.getMessage().contains("moe_layers"), e.getMessage());
  }

  @Test
  void chunkedAttentionIsLlama4sAlone() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_attention_heads": 4, "num_hidden_layers": 2,
         "intermediate_size": 96, "vocab_size": 100, "layer_types": ["chunked_attention", "full_attention"]}
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("layer_types \"chunked_attention\""), e.getMessage());
  }

  @Test
  void theMultimodalCheckpointIsServedAsItsTextModel() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Llama4ForConditionalGeneration"], "model_type": "llama4",
         "text_config": {"model_type": "llama4_text", "hidden_size": 64, "num_attention_heads": 4,
           "num_key_value_heads": 2, "head_dim": 16, "num_hidden_layers": 4, "intermediate_size": 96,
           "intermediate_size_mlp": 160, "vocab_size": 100, "num_local_experts": 4, "attention_chunk_size": 8},
         "vision_config": {"model_type": "llama4_vision_model"}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("Llama4ForCausalLM", c.architecture());
    assertEquals(8, c.chunkedAttention().chunkSize());
    assertEquals(List.of(true, true, true, true), c.moe().sparseLayers());
  }
}

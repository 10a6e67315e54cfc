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

  /** Mistral 3 as transformers saves it: its head tied by the top level, no lm_head in the checkpoint. */
  @Test
  void theTopLevelTieWordEmbeddingsGovernsTheTextConfigs() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Mistral3ForConditionalGeneration"], "tie_word_embeddings": true,
         "text_config": {"model_type": "mistral", "hidden_size": 64, "num_attention_heads": 4,
           "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "tie_word_embeddings": false}}
        """);
    assertTrue(ModelConfig.load(dir).tieWordEmbeddings());
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["LlavaForConditionalGeneration"],
         "text_config": {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4,
           "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "tie_word_embeddings": true}}
        """);
    assertTrue(ModelConfig.load(dir).tieWordEmbeddings(), "the text_config's where the top level says nothing");
  }

  @Test
  void anUnknownTextModelIsRefusedNamingIt() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Idefics3ForConditionalGeneration"], "text_config": {"model_type": "idefics3_text"}}
        """);
    UnsupportedArchitectureException e = assertThrows(UnsupportedArchitectureException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("Idefics3ForConditionalGeneration (text model idefics3_text)"), e.getMessage());
  }

  /**
   * Qwen2.5-VL as the hub has it (Qwen/Qwen2.5-VL-7B-Instruct's keys): the language model at the top
   * level, and mrope, whose sections all take a text token's position, read as the plain rotary.
   */
  @Test
  void qwenVlWithTopLevelTextKeysIsItsQwen2LanguageModel() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Qwen2_5_VLForConditionalGeneration"], "model_type": "qwen2_5_vl",
         "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 2,
         "num_hidden_layers": 2, "vocab_size": 100, "rope_theta": 1000000.0, "tie_word_embeddings": false,
         "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]}, "eos_token_id": 9,
         "vision_config": {"depth": 1, "hidden_size": 32, "out_hidden_size": 64}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("Qwen2ForCausalLM", c.architecture());
    assertEquals(null, c.ropeScaling());
    assertEquals(1_000_000.0, c.ropeTheta());
    assertEquals(List.of(9), c.eosTokenIds());
  }

  @Test
  void aTextConfigWithoutTieWordEmbeddingsTakesTheTopLevels() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Qwen3VLForConditionalGeneration"], "tie_word_embeddings": true,
         "text_config": {"model_type": "qwen3_vl_text", "hidden_size": 64, "num_attention_heads": 4,
           "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "head_dim": 16,
           "rope_parameters": {"rope_type": "default", "rope_theta": 5000.0, "mrope_section": [2, 3, 3],
             "mrope_interleaved": true}}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("Qwen3ForCausalLM", c.architecture());
    assertTrue(c.tieWordEmbeddings());
    assertEquals(5000.0, c.ropeTheta());
  }

  /**
   * PaliGemma as transformers saves it: the top level's vocab_size counts the original tokenizer,
   * the text_config's the embedding rows; the language model is Gemma's, read from text_config.
   */
  @Test
  void paliGemmaIsItsGemmaLanguageModelWithTheTextConfigsVocabulary() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["PaliGemmaForConditionalGeneration"], "vocab_size": 257152, "hidden_size": 2048,
         "text_config": {"model_type": "gemma", "hidden_size": 64, "num_attention_heads": 4, "head_dim": 16,
           "num_key_value_heads": 1, "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 512}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("GemmaForCausalLM", c.architecture());
    assertEquals(512, c.vocabSize());
    assertEquals(64, c.hiddenSize());
  }

  /**
   * GLM-4.1V's language model (glm4v_text): GLM-4-0414's layer, its mrope sections over the partial
   * rotary read as the plain rotary embedding that text positions give.
   */
  @Test
  void glm4vIsTheGlm4LanguageModelWithItsPartialRotary() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Glm4vForConditionalGeneration"], "model_type": "glm4v",
         "text_config": {"model_type": "glm4v_text", "hidden_size": 64, "num_attention_heads": 4, "head_dim": 16,
           "num_key_value_heads": 2, "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100,
           "attention_bias": true, "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0,
             "mrope_section": [1, 1, 2], "partial_rotary_factor": 0.5}}}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals("Glm4ForCausalLM", c.architecture());
    assertEquals(8, c.rotaryDim());
    assertEquals(null, c.ropeScaling());
    assertTrue(c.attentionBias());
  }
}

package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPT's and GPT-2's configs: their own key names, transformers' defaults, and what is refused. */
class GptStyleConfigTest {
  @TempDir Path dir;

  private ModelConfig config(String json) throws Exception {
    Files.writeString(dir.resolve("config.json"), json);
    return ModelConfig.load(dir);
  }

  @Test
  void gpt2ReadsItsOwnKeysAndDefaultsTheMlpToFourTimesTheWidth() throws Exception {
    ModelConfig c = config("""
        {"architectures": ["GPT2LMHeadModel"], "n_embd": 768, "n_head": 12, "n_layer": 12,
         "n_positions": 1024, "n_inner": null, "vocab_size": 50257, "layer_norm_epsilon": 1e-5}
        """);
    assertEquals(768, c.hiddenSize());
    assertEquals(12, c.numHeads());
    assertEquals(12, c.numKvHeads());
    assertEquals(64, c.headDim());
    assertEquals(3072, c.intermediateSize());
    assertEquals(1024, c.maxPositionEmbeddings());
    assertEquals(Activation.GELU_TANH, c.activation()); // activation_function's default, gelu_new
    assertTrue(c.tieWordEmbeddings());
    assertEquals(List.of(false, false, false, false, false, false, false, false, false, false, false, false),
        c.ropeLayers(), "learned positions: no layer rotates");
  }

  @Test
  void optReadsFfnDimAndReluAndRefusesWhatItDoesNotCompute() throws Exception {
    String base = """
        {"architectures": ["OPTForCausalLM"], "hidden_size": 768, "num_attention_heads": 12,
         "num_hidden_layers": 2, "ffn_dim": 3072, "vocab_size": 50272, "max_position_embeddings": 2048%s}
        """;
    ModelConfig c = config(base.formatted(""));
    assertEquals(3072, c.intermediateSize());
    assertEquals(Activation.RELU, c.activation());
    assertEquals(1e-5, c.rmsNormEps());
    InvalidConfigException postNorm = assertThrows(InvalidConfigException.class,
        () -> config(base.formatted(", \"do_layer_norm_before\": false")));
    assertTrue(postNorm.getMessage().contains("do_layer_norm_before false is not supported"), postNorm.getMessage());
    InvalidConfigException projected = assertThrows(InvalidConfigException.class,
        () -> config(base.formatted(", \"word_embed_proj_dim\": 512")));
    assertTrue(projected.getMessage().contains("word_embed_proj_dim 512"), projected.getMessage());
  }

  @Test
  void missingSizesAreNamedByTheirUsualKey() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config("{\"architectures\": [\"GPT2LMHeadModel\"], \"n_head\": 2, \"n_layer\": 1, \"vocab_size\": 10}"));
    assertTrue(e.getMessage().contains("hidden_size"), e.getMessage());
  }

  /** Cohere's transformers defaults: logit_scale 0.0625, tied embeddings, a parallel block, no q/k norms. */
  @Test
  void cohereScalesItsLogitsAndRunsAParallelBlock() throws Exception {
    String base = """
        {"architectures": ["CohereForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "layer_norm_eps": 1e-5%s}
        """;
    ModelConfig c = config(base.formatted(""));
    assertEquals(16.0, c.multipliers().logitsScaling(), "logits divided by 1 / 0.0625");
    assertTrue(c.tieWordEmbeddings());
    assertTrue(c.parallelResidual());
    assertEquals(Activation.SILU, c.activation());
    assertEquals(2.0, config(base.formatted(", \"logit_scale\": 0.5")).multipliers().logitsScaling());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(base.formatted(", \"use_qk_norm\": true")));
    assertTrue(e.getMessage().contains("use_qk_norm true"), e.getMessage());
  }

  /** Falcon's kv heads as transformers counts them and its defaults. */
  @Test
  void falconCountsItsKvHeadsByArchitecture() throws Exception {
    String base = """
        {"architectures": ["FalconForCausalLM"], "hidden_size": 64, "num_attention_heads": 8,
         "num_hidden_layers": 2, "vocab_size": 100, "num_kv_heads": 4%s}
        """;
    ModelConfig sevenB = config(base.formatted(""));
    assertEquals(1, sevenB.numKvHeads(), "multi_query defaults to true: one kv head");
    assertEquals(256, sevenB.intermediateSize(), "ffn_hidden_size defaults to 4 x hidden");
    assertEquals(Activation.GELU, sevenB.activation());
    assertTrue(sevenB.parallelResidual());
    assertTrue(sevenB.tieWordEmbeddings());
    assertEquals(4, config(base.formatted(", \"new_decoder_architecture\": true")).numKvHeads());
    assertEquals(8, config(base.formatted(", \"multi_query\": false")).numKvHeads());
    assertEquals(null, sevenB.alibi(), "rotary unless alibi (AlibiConfigTest)");
  }
}

package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bloom's, MPT's and Falcon-RW's configs: their key names, their biases, and what is refused by key. */
class AlibiConfigTest {
  @TempDir Path dir;

  private ModelConfig config(String json) throws Exception {
    Files.writeString(dir.resolve("config.json"), json);
    return ModelConfig.load(dir);
  }

  private static final String BLOOM = """
      {"architectures": ["BloomForCausalLM"], "hidden_size": 64, "n_head": 8, "n_layer": 2,
       "vocab_size": 100%s}
      """;

  private static final String MPT = """
      {"architectures": ["MptForCausalLM"], "d_model": 64, "n_heads": 4, "n_layers": 2, "max_seq_len": 256,
       "expansion_ratio": 2, "vocab_size": 100, "attn_config": {"alibi": true%s}%s}
      """;

  @Test
  void bloomReadsItsKeysAndBiasesTheScaledScores() throws Exception {
    ModelConfig c = config(BLOOM.formatted(""));
    assertEquals(64, c.hiddenSize());
    assertEquals(8, c.numHeads());
    assertEquals(8, c.numKvHeads());
    assertEquals(2, c.numLayers());
    assertEquals(256, c.intermediateSize(), "4 x hidden");
    assertEquals(Activation.GELU_TANH, c.activation());
    assertEquals(1e-5, c.rmsNormEps());
    assertTrue(c.tieWordEmbeddings());
    assertEquals(List.of(false, false), c.ropeLayers(), "ALiBi: no layer rotates");
    assertFalse(c.alibi().scaledBySoftmaxScale());
    assertArrayEquals(new double[] {0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625},
        c.alibi().slopes(), 0);
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(BLOOM.formatted(", \"apply_residual_connection_post_layernorm\": true")));
    assertTrue(e.getMessage().contains("config.json: apply_residual_connection_post_layernorm true is not supported"),
        e.getMessage());
  }

  /** transformers' MPT MLP is 4 x d_model whatever expansion_ratio says. */
  @Test
  void mptReadsItsKeysAndAttnConfig() throws Exception {
    ModelConfig c = config(MPT.formatted(", \"softmax_scale\": 0.5, \"clip_qkv\": 6, \"alibi_bias_max\": 16", ""));
    assertEquals(64, c.hiddenSize());
    assertEquals(4, c.numHeads());
    assertEquals(2, c.numLayers());
    assertEquals(256, c.maxPositionEmbeddings());
    assertEquals(256, c.intermediateSize());
    assertEquals(Activation.GELU, c.activation());
    assertTrue(c.tieWordEmbeddings());
    assertEquals(0.5, c.multipliers().attention(), "softmax_scale");
    assertEquals(6, c.clipQkv());
    assertEquals(List.of(false, false), c.ropeLayers());
    assertFalse(c.alibi().scaledBySoftmaxScale());
    assertArrayEquals(new double[] {1 / 16.0, 1 / 256.0, 1 / 4096.0, 1 / 65536.0}, c.alibi().slopes(), 0);
    ModelConfig defaults = config(MPT.formatted("", ""));
    assertEquals(Multipliers.NONE, defaults.multipliers(), "softmax_scale null: 1/sqrt(head_dim)");
    assertEquals(0, defaults.clipQkv());
    assertArrayEquals(new double[] {0.25, 0.0625, 0.015625, 0.00390625}, defaults.alibi().slopes(), 0);
  }

  @Test
  void mptRefusesWhatTransformersDoesNotComputeByKey() throws Exception {
    String[][] refused = {
        {", \"alibi\": false", "", "attn_config.alibi false"},
        {", \"attn_type\": \"grouped_query_attention\"", "", "attn_config.attn_type \"grouped_query_attention\""},
        {", \"prefix_lm\": true", "", "attn_config.prefix_lm true"},
        {", \"qk_ln\": true", "", "attn_config.qk_ln true"},
        {"", ", \"no_bias\": false", "no_bias false"},
        {"", ", \"logit_scale\": 0.5", "logit_scale other than null"},
        {", \"alibi_bias_max\": 0", "", "attn_config.alibi_bias_max must be positive"},
        {", \"softmax_scale\": -1", "", "attn_config.softmax_scale must be positive"}};
    for (String[] r : refused) {
      InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> config(MPT.formatted(r[0], r[1])), r[2]);
      assertTrue(e.getMessage().contains("config.json: " + r[2]), e.getMessage());
    }
  }

  /** Falcon-RW: Falcon with alibi true, biases scaled with the scores, slopes rounded to bfloat16. */
  @Test
  void falconWithAlibiBiasesTheRawProductInsteadOfRotating() throws Exception {
    ModelConfig c = config("""
        {"architectures": ["FalconForCausalLM"], "hidden_size": 96, "num_attention_heads": 12,
         "num_hidden_layers": 2, "vocab_size": 100, "alibi": true, "multi_query": false, "parallel_attn": false}
        """);
    assertEquals(List.of(false, false), c.ropeLayers());
    assertTrue(c.alibi().scaledBySoftmaxScale());
    assertEquals(181 / 256.0, c.alibi().slopes()[8], 0, "2^-0.5 in bfloat16");
  }
}

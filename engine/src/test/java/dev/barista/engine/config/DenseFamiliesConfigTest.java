package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.model.Architecture;
import dev.barista.engine.model.ArchitectureRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configs of EXAONE 4, Cohere 2, OLMo, Seed-OSS, Nemotron, Arcee and HunYuan: which layers slide
 * and rotate, their biases, clipping and activations, with transformers' defaults, and what is refused.
 */
class DenseFamiliesConfigTest {
  @TempDir Path dir;

  private static final String SIZES = """
      "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 128,
      "vocab_size": 100""";

  private ModelConfig config(String architecture, int layers, String more) throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"" + architecture + "\"], "
        + "\"num_hidden_layers\": " + layers + ", " + SIZES + (more.isEmpty() ? "" : ", " + more) + "}");
    return ModelConfig.load(dir);
  }

  @Test
  void exaone4SlidesThreeLayersOfFourAndRotatesOnlyThoseWhenItHasAWindow() throws Exception {
    ModelConfig c = config("Exaone4ForCausalLM", 8, "\"sliding_window\": 16");
    List<Boolean> sliding = List.of(true, true, true, false, true, true, true, false);
    assertEquals(sliding, c.slidingLayers());
    assertEquals(sliding, c.ropeLayers(), "the full layers are NoPE");
    assertEquals(16, c.windowOf(0));
    assertEquals(0, c.windowOf(3));
  }

  @Test
  void exaone4WithoutAWindowAttendsFullyAndRotatesEveryLayer() throws Exception {
    ModelConfig c = config("Exaone4ForCausalLM", 4, "\"sliding_window\": null");
    assertEquals(List.of(false, false, false, false), c.slidingLayers());
    assertEquals(List.of(true, true, true, true), c.ropeLayers());
    assertEquals(0, c.slidingWindow());
  }

  @Test
  void exaone4DefaultsToA4096TokenWindowAndPerHeadQkNormsAfterItsOutputNorms() throws Exception {
    ModelConfig c = config("Exaone4ForCausalLM", 4, "\"sliding_window_pattern\": 2");
    assertEquals(4096, c.slidingWindow());
    assertEquals(List.of(true, false, true, false), c.slidingLayers());
    Architecture a = ArchitectureRegistry.describe(c);
    assertTrue(a.postNormsOnly() && a.qkNorm());
    assertFalse(a.wholeQkNorm(), "per-head q/k norms, unlike OLMo 2's");
  }

  @Test
  void cohere2RotatesItsSlidingLayersAloneAndNoneWithoutAWindow() throws Exception {
    ModelConfig c = config("Cohere2ForCausalLM", 4, "\"sliding_window\": 8, \"logit_scale\": 0.25");
    assertEquals(List.of(true, true, true, false), c.slidingLayers());
    assertEquals(List.of(true, true, true, false), c.ropeLayers());
    assertTrue(c.parallelResidual());
    assertTrue(c.tieWordEmbeddings());
    assertEquals(4.0, c.multipliers().logitsScaling());
    ModelConfig windowless = config("Cohere2ForCausalLM", 2, "\"sliding_window\": null");
    assertEquals(List.of(false, false), windowless.ropeLayers());
  }

  @Test
  void aSlidingWindowPatternBelowOneIsRefusedNamingTheKey() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config("Cohere2ForCausalLM", 2, "\"sliding_window_pattern\": 0"));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("sliding_window_pattern"), e.getMessage());
  }

  @Test
  void anUnknownLayerTypeIsRefusedNamingIt() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> config("Exaone4ForCausalLM", 2,
        "\"layer_types\": [\"sliding_attention\", \"chunked_attention\"]"));
    assertTrue(e.getMessage().contains("config.json: layer_types \"chunked_attention\""), e.getMessage());
  }

  @Test
  void olmoReadsClipQkvAndRefusesANonPositiveOne() throws Exception {
    assertEquals(8.0, config("OlmoForCausalLM", 2, "\"clip_qkv\": 8").clipQkv());
    assertEquals(0.0, config("OlmoForCausalLM", 2, "\"clip_qkv\": null").clipQkv());
    assertEquals(1e-5, config("OlmoForCausalLM", 2, "").rmsNormEps(), "OLMo's LayerNorm has a fixed epsilon");
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config("OlmoForCausalLM", 2, "\"clip_qkv\": -1"));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("clip_qkv"), e.getMessage());
  }

  @Test
  void seedOssBiasesItsOutputProjectionOnlyWhereAttentionOutBiasSaysSo() throws Exception {
    ModelConfig plain = config("SeedOssForCausalLM", 2, "\"attention_bias\": true");
    assertTrue(ArchitectureRegistry.describe(plain).qkvBias());
    assertFalse(ArchitectureRegistry.describe(plain).outputBias());
    ModelConfig biased = config("SeedOssForCausalLM", 2, "\"attention_bias\": false, \"attention_out_bias\": true");
    assertFalse(ArchitectureRegistry.describe(biased).qkvBias());
    assertTrue(ArchitectureRegistry.describe(biased).outputBias());
  }

  @Test
  void nemotronAndArceeDefaultToRelu2AndNemotronReadsNormEps() throws Exception {
    ModelConfig nemotron = config("NemotronForCausalLM", 2, "\"norm_eps\": 1e-3, \"partial_rotary_factor\": 0.5");
    assertEquals(Activation.RELU2, nemotron.activation());
    assertEquals(1e-3, nemotron.rmsNormEps());
    assertEquals(8, nemotron.rotaryDim());
    Architecture a = ArchitectureRegistry.describe(nemotron);
    assertTrue(a.layerNorm() && a.offsetNorms() && !a.gatedMlp(), "LayerNorm1P and an ungated MLP");
    assertEquals(Activation.RELU2, config("ArceeForCausalLM", 2, "").activation());
  }

  @Test
  void hunYuanNormsQueriesAndKeysAfterRopeAndRefusesNtkAlpha() throws Exception {
    assertTrue(ArchitectureRegistry.describe(config("HunYuanDenseV1ForCausalLM", 2, "")).qkNormAfterRope());
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> config("HunYuanDenseV1ForCausalLM", 2,
        "\"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 1.0, \"alpha\": 1000.0}"));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("alpha"), e.getMessage());
  }
}

package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.model.RopeFrequencies;
import dev.barista.engine.weights.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigTest {
  @TempDir Path dir;

  private ModelConfig config(String extra) throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100%s}
        """.formatted(extra));
    return ModelConfig.load(dir);
  }

  @Test
  void defaultsWhenOptionalKeysAreAbsent() throws Exception {
    ModelConfig c = config("");
    assertEquals(16, c.headDim());
    assertEquals(4, c.numKvHeads());
    assertEquals(10000.0, c.ropeTheta());
    assertNull(c.ropeScaling());
    assertEquals(DType.BF16, c.dtype());
    assertEquals(List.of(), c.eosTokenIds());
  }

  @Test
  void explicitHeadDimAndEosList() throws Exception {
    ModelConfig c = config(", \"head_dim\": 32, \"num_key_value_heads\": 2, \"eos_token_id\": [5, 7],"
        + " \"torch_dtype\": \"float16\", \"tie_word_embeddings\": true");
    assertEquals(32, c.headDim());
    assertEquals(64, c.kvDim());
    assertEquals(List.of(5, 7), c.eosTokenIds());
    assertEquals(DType.F16, c.dtype());
    assertTrue(c.tieWordEmbeddings());
  }

  @Test
  void classicRopeScalingLlama3() throws Exception {
    ModelConfig c = config(", \"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": \"llama3\","
        + " \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0,"
        + " \"original_max_position_embeddings\": 8192}");
    assertEquals(500000.0, c.ropeTheta());
    assertEquals(new RopeScaling.Llama3(8, 1, 4, 8192), c.ropeScaling());
  }

  @Test
  void newerRopeParametersObject() throws Exception {
    ModelConfig c = config(", \"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2.0,"
        + " \"rope_theta\": 1000.0}");
    assertEquals(1000.0, c.ropeTheta());
    assertEquals(new RopeScaling.Linear(2), c.ropeScaling());
    ModelConfig plain = config(", \"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 7.0}");
    assertEquals(7.0, plain.ropeTheta());
    assertNull(plain.ropeScaling());
  }

  @Test
  void linearScalingDividesEveryFrequency() throws Exception {
    ModelConfig c = config(", \"rope_scaling\": {\"type\": \"linear\", \"factor\": 4.0}");
    double[] inv = RopeFrequencies.inverseFrequencies(c);
    assertEquals(8, inv.length);
    assertEquals(1.0 / 4, inv[0], 1e-15);
    assertEquals(Math.pow(10000, -2.0 / 16) / 4, inv[1], 1e-15);
  }

  @Test
  void llama3ScalingKeepsHighFrequenciesAndDividesLowOnes() throws Exception {
    // head_dim 16, theta 10000, original context 64: wavelengths 2*pi*10000^(i/8)
    ModelConfig c = config(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
        + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 64}");
    double[] inv = RopeFrequencies.inverseFrequencies(c);
    assertEquals(1.0, inv[0], 1e-15); // wavelength 2*pi < 64/4: kept
    double base3 = Math.pow(10000, -6.0 / 16); // wavelength ~199 > 64: divided by 8
    assertEquals(base3 / 8, inv[3], 1e-15);
    double base1 = Math.pow(10000, -2.0 / 16); // wavelength ~19.9, between 16 and 64: blended
    double smooth = (64 / (2 * Math.PI / base1) - 1) / 3;
    assertEquals((1 - smooth) * base1 / 8 + smooth * base1, inv[1], 1e-15);
  }

  @Test
  void unknownRopeTypeIsAnError() throws Exception {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(", \"rope_scaling\": {\"rope_type\": \"ntk-by-parts\", \"factor\": 2.0}"));
    assertTrue(e.getMessage().contains("ntk-by-parts"));
  }

  @Test
  void yarnRampsFromKeptToInterpolatedFrequencies() throws Exception {
    // head_dim 16, theta 10000, original context 64, factor 4, beta_fast 32, beta_slow 1. The
    // pair index turning r times over 64 positions is 16 ln(64 / (2 pi r)) / (2 ln 10000):
    // -0.99 for r = 32 (floored, then clamped to 0) and 2.02 for r = 1 (ceiled to 3), so the
    // ramp is i / 3: pair 0 kept, pairs 1-2 blended, pairs 3-7 divided by the factor.
    ModelConfig c = config(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0,"
        + " \"original_max_position_embeddings\": 64}");
    double[] inv = RopeFrequencies.inverseFrequencies(c);
    assertEquals(1.0, inv[0], 1e-15);
    for (int i = 1; i < 8; i++) {
      double base = Math.pow(10000, -2.0 * i / 16);
      double ramp = Math.min(i / 3.0, 1.0);
      assertEquals(base / 4 * ramp + base * (1 - ramp), inv[i], 1e-15, "pair " + i);
    }
    double mscale = 0.1 * Math.log(4) + 1;
    assertEquals(mscale * mscale / 4, RopeFrequencies.attentionScale(c), 1e-15);
  }

  @Test
  void yarnDefaultsItsFactorAndOriginalContextAsTransformersDoes() throws Exception {
    // no original_max_position_embeddings: max_position_embeddings; no factor: their ratio (1,
    // so neither frequencies nor the attention scale change)
    ModelConfig c = config(", \"max_position_embeddings\": 512, \"rope_scaling\": {\"type\": \"yarn\"}");
    RopeScaling.Yarn y = (RopeScaling.Yarn) c.ropeScaling();
    assertEquals(512, y.originalMaxPositionEmbeddings());
    assertEquals(1.0, y.factor());
    assertEquals(1.0, y.attentionFactor());
    assertEquals(0.25, RopeFrequencies.attentionScale(c), 1e-15);
    // mscale and mscale_all_dim: the ratio of their two terms (DeepSeek's form)
    ModelConfig d = config(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 40,"
        + " \"original_max_position_embeddings\": 64, \"mscale\": 1.0, \"mscale_all_dim\": 0.5}");
    assertEquals((0.1 * Math.log(40) + 1) / (0.05 * Math.log(40) + 1), d.ropeScaling().attentionFactor(), 1e-15);
  }

  @Test
  void longRopeDividesEachPairByItsFactorAndSwitchesAtTheOriginalContext() throws Exception {
    // Phi-3's layout: the trained context at the top level, no factor (so 131072 / 4096 = 32)
    String lists = "\"short_factor\": [1, 1, 1, 1, 2, 2, 2, 2], \"long_factor\": [1, 2, 3, 4, 5, 6, 7, 8]";
    ModelConfig c = config(", \"max_position_embeddings\": 131072, \"original_max_position_embeddings\": 4096,"
        + " \"rope_scaling\": {\"type\": \"longrope\", " + lists + "}");
    RopeFrequencies.Rotary r = RopeFrequencies.rotary(c);
    assertEquals(4096, r.longFrom());
    for (int i = 0; i < 8; i++) {
      double base = Math.pow(10000, -2.0 * i / 16);
      assertEquals(base / (i < 4 ? 1 : 2), r.table()[i], 1e-15);
      assertEquals(base / (i + 1), r.longTable()[i], 1e-15);
    }
    assertSame(r.table(), r.forPosition(4095));
    assertSame(r.longTable(), r.forPosition(4096));
    double factor = Math.sqrt(1 + Math.log(32) / Math.log(4096));
    assertEquals(factor * factor / 4, RopeFrequencies.attentionScale(c), 1e-15);
    // "su", its older name; the factor lists must cover every pair
    assertTrue(config(", \"rope_scaling\": {\"type\": \"su\", " + lists + "}").ropeScaling()
        instanceof RopeScaling.LongRope);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> config(
        ", \"rope_scaling\": {\"type\": \"longrope\", \"short_factor\": [1], \"long_factor\": [1]}"));
    assertTrue(e.getMessage().contains("rotary dimensions / 2 = 8, got 1"), e.getMessage());
    // other kinds have one table for every position
    assertNull(RopeFrequencies.rotary(config("")).longTable());
  }

  @Test
  void dynamicNtkIsUnscaledWithinTheTrainedContext() throws Exception {
    ModelConfig c = config(", \"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 2.0}");
    assertEquals(new RopeScaling.DynamicNtk(2.0), c.ropeScaling());
    double[] inv = RopeFrequencies.inverseFrequencies(c);
    for (int i = 0; i < 8; i++) assertEquals(Math.pow(10000, -2.0 * i / 16), inv[i], 1e-15);
  }

  @Test
  void theWindowAppliesOnlyWhereTransformersSlides() throws Exception {
    String window = ", \"use_sliding_window\": true, \"sliding_window\": 4096";
    ModelConfig all = config(window); // no layer list: every layer (Mistral)
    assertEquals(List.of(4096, 4096), List.of(all.windowOf(0), all.windowOf(1)));
    // the config has 2 layers; layers from max_window_layers on slide
    ModelConfig none = config(window + ", \"max_window_layers\": 2");
    assertEquals(0, none.slidingWindow());
    assertEquals(List.of(0, 0), List.of(none.windowOf(0), none.windowOf(1)));
    ModelConfig second = config(window + ", \"max_window_layers\": 1");
    assertEquals(List.of(0, 4096), List.of(second.windowOf(0), second.windowOf(1)));
    ModelConfig off = config(", \"use_sliding_window\": false, \"sliding_window\": 4096, \"max_window_layers\": 0");
    assertEquals(List.of(0, 0), List.of(off.windowOf(0), off.windowOf(1)));
    // layer_types, where given, wins
    ModelConfig typed = config(window + ", \"max_window_layers\": 0,"
        + " \"layer_types\": [\"sliding_attention\", \"full_attention\"]");
    assertEquals(List.of(4096, 0), List.of(typed.windowOf(0), typed.windowOf(1)));
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(window + ", \"layer_types\": [\"full_attention\"]"));
    assertTrue(e.getMessage().contains("layer_types names 1 layers, not 2"), e.getMessage());
  }

  @Test
  void slidingDefaultsFollowEachArchitecture() throws Exception {
    String qwen2 = """
        {"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "sliding_window": 4096%s}
        """;
    // Qwen2: use_sliding_window defaults to false, and max_window_layers to 28
    Files.writeString(dir.resolve("config.json"), qwen2.formatted(""));
    assertEquals(0, ModelConfig.load(dir).slidingWindow());
    Files.writeString(dir.resolve("config.json"), qwen2.formatted(", \"use_sliding_window\": true"));
    assertEquals(0, ModelConfig.load(dir).slidingWindow());
    Files.writeString(dir.resolve("config.json"), qwen2.formatted(", \"use_sliding_window\": true, \"max_window_layers\": 0"));
    assertEquals(4096, ModelConfig.load(dir).windowOf(0));
    // Mistral has neither key: sliding_window alone turns the window on, in every layer
    Files.writeString(dir.resolve("config.json"), qwen2.formatted("").replace("Qwen2ForCausalLM", "MistralForCausalLM"));
    assertEquals(4096, ModelConfig.load(dir).windowOf(1));
  }

  @Test
  void smolLm3LeavesEveryFourthLayerUnrotated() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["SmolLM3ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 8, "intermediate_size": 128, "vocab_size": 100,
         "use_sliding_window": true, "sliding_window": 16}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals(List.of(true, true, true, false, true, true, true, false), c.ropeLayers());
    // without layer_types, transformers slides the NoPE layers only
    assertEquals(List.of(0, 0, 0, 16, 0, 0, 0, 16), java.util.stream.IntStream.range(0, 8).map(c::windowOf).boxed().toList());
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["SmolLM3ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "no_rope_layers": [0, 1]}
        """);
    assertEquals(List.of(false, true), ModelConfig.load(dir).ropeLayers());
    // other architectures rotate everywhere, whatever the key says
    assertEquals(List.of(true, true), config(", \"no_rope_layers\": [0, 0]").ropeLayers());
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["SmolLM3ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "no_rope_layers": [1]}
        """);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("no_rope_layers names 1 layers, not 2"), e.getMessage());
  }

  @Test
  void classLabelsComeFromId2labelElseNumLabels() throws Exception {
    assertEquals(List.of("LABEL_0", "LABEL_1"), config("").classLabels());
    assertEquals(List.of("LABEL_0", "LABEL_1", "LABEL_2"), config(", \"num_labels\": 3").classLabels());
    assertEquals(List.of("neg", "pos"), config(", \"id2label\": {\"1\": \"pos\", \"0\": \"neg\"}").classLabels());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(", \"num_labels\": 3, \"id2label\": {\"0\": \"a\", \"1\": \"b\"}"));
    assertTrue(e.getMessage().contains("num_labels 3"), e.getMessage());
  }

  @Test
  void partialRotaryTruncatesAsTransformersDoesAndRefusesWidthsBelowOnePair() {
    // int(16 * 0.75) = 12 rotated dimensions: 6 frequencies, base^(-2i/12)
    ModelConfig c = assertDoesNotThrowConfig(", \"partial_rotary_factor\": 0.75");
    assertEquals(12, c.rotaryDim());
    double[] inv = RopeFrequencies.rotary(c).table();
    assertEquals(6, inv.length);
    assertEquals(Math.pow(10000.0, -2.0 / 12), inv[1], 1e-15);
    assertEquals(16, assertDoesNotThrowConfig(", \"partial_rotary_factor\": 1.0").rotaryDim());
    assertEquals(4, assertDoesNotThrowConfig(", \"rotary_pct\": 0.25").rotaryDim());
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(", \"partial_rotary_factor\": 0.1"));
    assertTrue(e.getMessage().contains("partial_rotary_factor 0.1"), e.getMessage());
  }

  private ModelConfig assertDoesNotThrowConfig(String extra) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> config(extra));
  }

  @Test
  void wrongTypeNamesTheKey() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> config(", \"num_key_value_heads\": \"two\""));
    assertTrue(e.getMessage().contains("num_key_value_heads"));
  }

  @Test
  void generationConfigEosListAndSamplingDefaults() throws Exception {
    Files.writeString(dir.resolve("generation_config.json"), """
        {"bos_token_id": 151643, "eos_token_id": [151645, 151643], "do_sample": true,
         "temperature": 0.6, "top_k": 20, "top_p": 0.95, "pad_token_id": 151643,
         "min_p": 0.05, "repetition_penalty": 1.1, "max_new_tokens": 256}
        """);
    GenerationConfig g = GenerationConfig.load(dir);
    assertEquals(List.of(151645, 151643), g.eosTokenIds());
    assertEquals(0.6, g.temperature());
    assertEquals(20, g.topK());
    assertEquals(0.95, g.topP());
    assertEquals(0.05, g.minP());
    assertEquals(1.1, g.repetitionPenalty());
    assertEquals(256, g.maxNewTokens());
    assertEquals(true, g.doSample());
    Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 2}");
    assertEquals(List.of(2), GenerationConfig.load(dir).eosTokenIds());
    assertNull(GenerationConfig.load(dir).temperature());
  }

  @Test
  void absentGenerationConfigIsEmpty() {
    assertEquals(GenerationConfig.empty(), GenerationConfig.load(dir));
  }

  @Test
  void gptOssRoutesTopKThenSoftmaxWithClampedExpertsSlidingEveryOtherLayerAndUntruncatedYarn() throws Exception {
    ModelConfig c = ModelConfig.load(dev.barista.engine.testing.ReferenceModel.load("tiny-gptoss").dir());
    Moe moe = c.moe();
    assertEquals(4, moe.experts());
    assertEquals(2, moe.topK());
    assertEquals(160, moe.expertIntermediate());
    assertTrue(moe.normalizeTopK()); // softmax over the top k logits = the top k probabilities renormalised
    assertEquals(List.of(true, true), moe.sparseLayers());
    assertEquals(new SwigluClamp(1.702, 7.0), moe.swigluClamp());
    assertEquals(List.of(8, 0), List.of(c.windowOf(0), c.windowOf(1)));
    assertTrue(c.attentionBias());
    RopeScaling.Yarn yarn = (RopeScaling.Yarn) c.ropeScaling();
    assertEquals(false, yarn.truncate());
    assertEquals(4.0, yarn.factor());
    assertEquals(64, yarn.originalMaxPositionEmbeddings());
    assertEquals(0.1 * Math.log(4) + 1, yarn.attentionFactor(), 1e-12);
  }

  @Test
  void gptOssSwigluLimitComesFromTheConfig() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["GptOssForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
         "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "num_local_experts": 4,
         "num_experts_per_tok": 2, "swiglu_limit": 5.5}
        """);
    assertEquals(new SwigluClamp(1.702, 5.5), ModelConfig.load(dir).moe().swigluClamp());
  }
}

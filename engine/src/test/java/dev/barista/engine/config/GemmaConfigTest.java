package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.model.RopeFrequencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How Gemma, Gemma 2 and Gemma 3 configs read, with transformers' defaults where keys are missing. */
class GemmaConfigTest {
  @TempDir Path dir;

  private ModelConfig config(String architecture, int layers, String extra) throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["%s"], "hidden_size": 2048, "num_attention_heads": 8, "head_dim": 256,
         "num_hidden_layers": %d, "intermediate_size": 128, "vocab_size": 100,
         "max_position_embeddings": 8192, "torch_dtype": "bfloat16"%s}
        """.formatted(architecture, layers, extra));
    return ModelConfig.load(dir);
  }

  @Test
  void gemmaTiesEmbeddingsScalesThemBySqrtHiddenInBf16AndReadsHiddenAct() throws Exception {
    ModelConfig c = config("GemmaForCausalLM", 2, ", \"hidden_act\": \"gelu\", \"hidden_activation\": \"silu\"");
    assertTrue(c.tieWordEmbeddings());
    // sqrt(2048) = 45.2548...; bf16 keeps 8 significant bits: 45.25
    assertEquals(45.25, c.multipliers().embedding());
    assertEquals(Activation.GELU, c.activation()); // Gemma 1's MLP reads hidden_act
    assertEquals(Softcaps.NONE, c.softcaps());
    assertNull(c.localRope());
    assertEquals(1 / 16.0, RopeFrequencies.attentionScale(c), 1e-12); // head_dim^-0.5
  }

  @Test
  void gemmaInFloat32KeepsTheExactNormalizer() throws Exception {
    ModelConfig c = config("GemmaForCausalLM", 2, ", \"torch_dtype\": \"float32\"");
    assertEquals((float) Math.sqrt(2048), c.multipliers().embedding());
    assertEquals(Activation.GELU_TANH, c.activation());
  }

  @Test
  void gemma2DefaultsSoftcapsAlternatesWindowsAndScalesByQueryPreAttnScalar() throws Exception {
    ModelConfig c = config("Gemma2ForCausalLM", 4, ", \"sliding_window\": 4096, \"query_pre_attn_scalar\": 144,"
        + " \"hidden_activation\": \"gelu_pytorch_tanh\", \"hidden_act\": \"silu\"");
    assertEquals(new Softcaps(50, 30), c.softcaps());
    assertEquals(List.of(true, false, true, false), c.slidingLayers());
    assertEquals(4096, c.windowOf(0));
    assertEquals(0, c.windowOf(1));
    assertEquals(1 / 12.0, RopeFrequencies.attentionScale(c), 1e-12);
    assertEquals(Activation.GELU_TANH, c.activation()); // Gemma 2 reads hidden_activation
  }

  @Test
  void explicitNullSoftcapsTurnThemOff() throws Exception {
    ModelConfig c = config("Gemma2ForCausalLM", 2,
        ", \"attn_logit_softcapping\": null, \"final_logit_softcapping\": 15.0");
    assertEquals(new Softcaps(0, 15), c.softcaps());
  }

  @Test
  void gemma3ClassicKeysGiveSlidingLayersTheLocalUnscaledBase() throws Exception {
    ModelConfig c = config("Gemma3ForCausalLM", 12, ", \"sliding_window\": 512, \"rope_theta\": 1000000.0,"
        + " \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 8.0}, \"rope_local_base_freq\": 10000.0,"
        + " \"sliding_window_pattern\": 6");
    for (int l = 0; l < 12; l++) {
      boolean full = l == 5 || l == 11;
      assertEquals(!full, c.slidingLayers().get(l), "layer " + l);
      assertEquals(!full, c.localRope().appliesTo(l), "layer " + l);
    }
    double[] local = RopeFrequencies.rotaryOfLayer(c, 0).table();
    double[] global = RopeFrequencies.rotaryOfLayer(c, 5).table();
    // pair 1 of 128: base^(-2/256)
    assertEquals(Math.pow(10000.0, -2.0 / 256), local[1], 1e-15);
    assertEquals(Math.pow(1000000.0, -2.0 / 256) / 8, global[1], 1e-15);
    assertEquals(8192, c.derivedMaxModelLen()); // Gemma 3 states its extended context already
    assertEquals(Softcaps.NONE, c.softcaps());
  }

  @Test
  void gemma3RopeParametersByLayerTypeReadAsTheClassicKeys() throws Exception {
    ModelConfig c = config("Gemma3ForCausalLM", 2, ", \"sliding_window\": 8,"
        + " \"layer_types\": [\"sliding_attention\", \"full_attention\"],"
        + " \"rope_parameters\": {\"full_attention\": {\"rope_type\": \"linear\", \"factor\": 8.0,"
        + " \"rope_theta\": 1000000.0}, \"sliding_attention\": {\"rope_type\": \"default\", \"rope_theta\": 20000.0}}");
    assertEquals(1000000.0, c.ropeTheta());
    assertEquals(new RopeScaling.Linear(8), c.ropeScaling());
    assertEquals(20000.0, c.localRope().theta());
    assertEquals(List.of(true, false), c.localRope().layers());
    assertArrayEquals(new double[] {1.0}, java.util.Arrays.copyOf(RopeFrequencies.rotaryOfLayer(c, 0).table(), 1));
  }

  @Test
  void unsupportedActivationsAndScaledLocalRopeAreRefusedByName() throws Exception {
    InvalidConfigException act = assertThrows(InvalidConfigException.class,
        () -> config("Gemma2ForCausalLM", 2, ", \"hidden_activation\": \"quick_gelu\""));
    assertTrue(act.getMessage().contains("hidden_activation \"quick_gelu\""), act.getMessage());
    InvalidConfigException rope = assertThrows(InvalidConfigException.class,
        () -> config("Gemma3ForCausalLM", 2, ", \"rope_parameters\": {\"full_attention\": {\"rope_theta\": 1e6},"
            + " \"sliding_attention\": {\"rope_type\": \"yarn\", \"factor\": 2.0}}"));
    assertTrue(rope.getMessage().contains("sliding layers"), rope.getMessage());
  }
}

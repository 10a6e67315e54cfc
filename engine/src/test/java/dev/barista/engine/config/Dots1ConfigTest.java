package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dots.llm1: DeepSeek-V3's router and shared experts over Qwen3's attention, with transformers' Dots1 defaults. */
class Dots1ConfigTest {
  private static final Path MODELS = Path.of("src/test/resources/models");

  @TempDir Path dir;

  @Test
  void theTinyCheckpointRoutesByCorrectedSigmoidScoresAfterItsDenseFirstLayer() {
    ModelConfig c = ModelConfig.load(MODELS.resolve("tiny-dots1"));
    Moe moe = c.moe();
    assertEquals(GroupedTopK.noauxTc(2, 1, 2.5), moe.groupedTopK());
    assertTrue(moe.normalizeTopK());
    assertEquals(48, moe.sharedIntermediate(), "one shared expert of moe_intermediate_size 48");
    assertEquals(List.of(false, true, true), moe.sparseLayers(), "first_k_dense_replace 1");
    assertEquals(0, c.slidingWindow(), "layer_types names full attention only");
  }

  /** Without the keys: one group, no scaling, no renormalising, every layer sparse, layers from 62 on sliding. */
  @Test
  void missingKeysTakeTransformersDots1Defaults() throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["Dots1ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4, "head_dim": 16,
         "num_hidden_layers": 64, "intermediate_size": 128, "vocab_size": 100, "moe_intermediate_size": 32,
         "n_routed_experts": 4, "num_experts_per_tok": 2, "n_shared_experts": 1}
        """);
    ModelConfig c = ModelConfig.load(dir);
    assertEquals(GroupedTopK.noauxTc(1, 1, 1.0), c.moe().groupedTopK());
    assertFalse(c.moe().normalizeTopK());
    assertEquals(Collections.nCopies(64, true), c.moe().sparseLayers());
    assertEquals(4096, c.slidingWindow());
    assertEquals(0, c.windowOf(61));
    assertEquals(4096, c.windowOf(62));
  }

  /** transformers' Dots1 has no default top k (its router fails without one): the key is required. */
  @Test
  void aMissingTopKIsRefusedNamingTheKey() throws Exception {
    Files.writeString(dir.resolve("config.json"), Files.readString(MODELS.resolve("tiny-dots1/config.json"))
        .replace("\"num_experts_per_tok\": 2,", ""));
    MissingConfigKeyException e = assertThrows(MissingConfigKeyException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("num_experts_per_tok"), e.getMessage());
  }
}

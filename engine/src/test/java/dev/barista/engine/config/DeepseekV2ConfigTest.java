package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DeepSeek-V2's router, shared experts, dense layers and latent attention as its config states them. */
class DeepseekV2ConfigTest {
  private static final Path MODELS = Path.of("src/test/resources/models");

  @TempDir Path dir;

  @Test
  void greedyIsOneGroupOfSoftmaxScoresScaledWithoutRenormalising() {
    ModelConfig c = ModelConfig.load(MODELS.resolve("tiny-deepseekv2"));
    Moe moe = c.moe();
    assertEquals(GroupedTopK.groupLimitedGreedy(1, 1, 1.5), moe.groupedTopK());
    assertFalse(moe.groupedTopK().scoreCorrection(), "no e_score_correction_bias");
    assertFalse(moe.normalizeTopK());
    assertEquals(2 * 48, moe.sharedIntermediate(), "n_shared_experts 2 of moe_intermediate_size 48");
    assertEquals(List.of(false, true, true), moe.sparseLayers(), "first_k_dense_replace 1");
    assertFalse(c.mla().lowRankQueries(), "q_lora_rank null");
    assertTrue(c.mla().interleavedRope(), "V2 rotates adjacent pairs");
    assertEquals(1.0, c.mla().softmaxMscale());
  }

  @Test
  void groupLimitedGreedyKeepsTopkGroupOfNGroupAndTheYarnMscale() {
    ModelConfig c = ModelConfig.load(MODELS.resolve("tiny-deepseekv2-grouped"));
    assertEquals(GroupedTopK.groupLimitedGreedy(4, 2, 2.0), c.moe().groupedTopK());
    assertEquals(48, c.mla().qLoraRank());
    // yarn_get_mscale(factor 4, mscale_all_dim 0.707)
    assertEquals(0.1 * 0.707 * Math.log(4) + 1, c.mla().softmaxMscale(), 1e-12);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"topk_method\": \"noaux_tc\"|topk_method",
      "\"scoring_func\": \"sigmoid\"|scoring_func",
      "\"norm_topk_prob\": true|norm_topk_prob"})
  void unsupportedRoutingIsRefusedNamingFileAndKey(String setting, String key) throws Exception {
    String config = Files.readString(MODELS.resolve("tiny-deepseekv2/config.json"));
    String key0 = setting.substring(0, setting.indexOf(':'));
    String edited = config.contains(key0) ? config.replaceFirst(key0 + ": [^,\\n]*", setting)
        : config.replaceFirst("\\{", "{" + setting + ",");
    Files.writeString(dir.resolve("config.json"), edited);
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ModelConfig.load(dir));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains(key), e.getMessage());
  }
}

package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.config.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which models the CUDA runner takes, decided from the config alone (no GPU needed). */
class CudaRunnerProviderTest {
  private static final Path MODELS = Path.of("../engine/src/test/resources/models");

  @Test
  void takesTheMixturesOfExpertsAndTheInterleavedRotaryModels() {
    for (String m : new String[] {"tiny-mixtral", "tiny-qwen2moe", "tiny-qwen3moe", "tiny-olmoe", "tiny-granitemoeshared",
        "tiny-gptj", "tiny-cohere", "tiny-glm4", "tiny-falcon", "tiny-qwen3vl", "tiny-llama"}) {
      ModelConfig c = ModelConfig.load(MODELS.resolve(m));
      assertNull(CudaRunnerProvider.declined(c), m);
      assertTrue(new CudaRunnerProvider().supports(c), m);
    }
  }

  @Test
  void takesTheNewModels() {
    for (String m : new String[] {"tiny-helium", "tiny-seedoss", "tiny-ernie45", "tiny-ernie45moe", "tiny-llama4", "tiny-exaone4", "tiny-cohere2",
        "tiny-mistral3", "tiny-nemotron", "tiny-arcee", "tiny-olmo", "tiny-hunyuan", "tiny-glm4moe", "tiny-gptoss", "tiny-deepseekv3", "tiny-deepseekv3-noqlora", "tiny-deepseekv2",
        "tiny-deepseekv2-grouped", "tiny-bloom", "tiny-mpt", "tiny-falcon-rw",
        "tiny-internvl", "tiny-llavanext", "tiny-paligemma", "tiny-glm4v", "tiny-dots1"}) {
      assertNull(CudaRunnerProvider.declined(ModelConfig.load(MODELS.resolve(m))), m);
    }
  }

  @Test
  void declinesMoreExpertsThanTheKernelsTake(@TempDir Path dir) throws Exception {
    String config = Files.readString(MODELS.resolve("tiny-mixtral/config.json"))
        .replace("\"num_local_experts\": 4", "\"num_local_experts\": 300");
    Files.writeString(dir.resolve("config.json"), config);
    ModelConfig c = ModelConfig.load(dir);
    String why = CudaRunnerProvider.declined(c);
    assertTrue(why != null && why.contains("300 experts") && why.contains("--device cpu"), String.valueOf(why));
  }
}

package dev.barista.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.barista.cuda.driver.CudaDriver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA runner against the reference models (logits, greedy, batched = alone, chunked prefill,
 * copied blocks; see ModelCheck); skipped, with the reason, where there is no GPU.
 */
class GpuReferenceModelsTest {
  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama31", "tiny-qwen2", "tiny-qwen3", "tiny-mistral", "tiny-phi3",
      "tiny-smollm3", "tiny-granite", "tiny-gemma", "tiny-gemma2", "tiny-gemma3", "tiny-opt", "tiny-gpt2",
      "tiny-gptneox", "tiny-phi", "tiny-starcoder2", "tiny-stablelm", "tiny-gemma3-mm", "tiny-llava", "tiny-olmo2",
      "tiny-olmo3", "tiny-mixtral", "tiny-qwen2moe", "tiny-qwen3moe", "tiny-olmoe", "tiny-granitemoe",
      "tiny-granitemoeshared", "tiny-gptj", "tiny-cohere", "tiny-glm", "tiny-glm4", "tiny-falcon", "tiny-falcon-newarch",
      "tiny-qwen2vl", "tiny-qwen25vl", "tiny-qwen3vl", "tiny-idefics3", "tiny-helium", "tiny-seedoss", "tiny-ernie45",
      "tiny-arcee", "tiny-nemotron", "tiny-exaone4", "tiny-cohere2", "tiny-olmo", "tiny-hunyuan", "tiny-mistral3",
      "tiny-glm4moe", "tiny-gptoss"})
  void runnerMatchesReference(String name) throws Exception {
    assumeTrue(CudaDriver.isAvailable(), () -> "no GPU: " + CudaDriver.unavailableReason());
    Path dir = Path.of("../engine/src/test/resources/models", name);
    List<String> failures = ModelCheck.check(dir);
    assertEquals(List.of(), failures);
  }
}

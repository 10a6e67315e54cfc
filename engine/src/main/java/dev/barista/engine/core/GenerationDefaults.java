package dev.barista.engine.core;

import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.config.GenerationConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Default sampling parameters as vLLM's --generation-config: "auto" takes temperature, top_p,
 * top_k, min_p, repetition_penalty and max_new_tokens from the model folder's
 * generation_config.json, "vllm" keeps vLLM's own defaults, and a folder path reads that folder's
 * file.
 */
public final class GenerationDefaults {
  private GenerationDefaults() {}

  public static GenerationConfig load(String mode, Path modelDir) {
    return switch (mode) {
      case "vllm" -> GenerationConfig.empty();
      case "auto" -> GenerationConfig.load(modelDir);
      default -> {
        Path dir = Path.of(mode);
        if (!Files.isRegularFile(dir.resolve("generation_config.json"))) {
          throw new InvalidParameterException("generation_config", "generation_config must be"
              + " auto, vllm or a folder with a generation_config.json; " + dir + " has none");
        }
        yield GenerationConfig.load(dir);
      }
    };
  }

  /** vLLM's default SamplingParams with the generation config's values applied over them. */
  public static SamplingParams.Builder builder(GenerationConfig g) {
    SamplingParams.Builder b = SamplingParams.builder();
    if (g.temperature() != null) b.temperature(g.temperature());
    if (g.topP() != null) b.topP(g.topP());
    if (g.topK() != null) b.topK(g.topK());
    if (g.minP() != null) b.minP(g.minP());
    if (g.repetitionPenalty() != null) b.repetitionPenalty(g.repetitionPenalty());
    if (g.maxNewTokens() != null) b.maxTokens(g.maxNewTokens());
    return b;
  }
}

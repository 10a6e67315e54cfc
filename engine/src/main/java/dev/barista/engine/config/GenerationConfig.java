package dev.barista.engine.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * generation_config.json: extra end-of-sequence ids and the publisher's sampling defaults. Every
 * default is null when the file does not set it.
 */
public record GenerationConfig(
    List<Integer> eosTokenIds,
    Integer bosTokenId,
    Integer padTokenId,
    Boolean doSample,
    Double temperature,
    Double topP,
    Integer topK,
    Double minP,
    Double repetitionPenalty,
    Integer maxNewTokens) {

  public GenerationConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  public static GenerationConfig empty() {
    return new GenerationConfig(List.of(), null, null, null, null, null, null, null, null, null);
  }

  /** Reads {@code dir/generation_config.json}; an absent file gives {@link #empty()}. */
  public static GenerationConfig load(Path dir) {
    Path file = dir.resolve("generation_config.json");
    if (!Files.isRegularFile(file)) return empty();
    ConfigJson json = ConfigJson.read(file);
    return new GenerationConfig(
        json.intOrIntList("eos_token_id"),
        json.optionalInt("bos_token_id"),
        json.optionalInt("pad_token_id"),
        json.has("do_sample") ? json.optionalBoolean("do_sample", false) : null,
        json.optionalDouble("temperature"),
        json.optionalDouble("top_p"),
        json.optionalInt("top_k"),
        json.optionalDouble("min_p"),
        json.optionalDouble("repetition_penalty"),
        json.optionalInt("max_new_tokens"));
  }
}

package dev.barista.cli;

import dev.barista.engine.api.SamplingParams;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampling flags; those not given keep the model's defaults (generation_config.json, vLLM). */
final class SamplingOptions {
  @Option(names = "--max-tokens", description = "most tokens to generate (default 16)")
  Integer maxTokens;

  @Option(names = "--min-tokens", description = "tokens to generate before EOS or stop may end it")
  Integer minTokens;

  @Option(names = "--temperature", description = "0 is greedy")
  Double temperature;

  @Option(names = "--top-p")
  Double topP;

  @Option(names = "--top-k")
  Integer topK;

  @Option(names = "--min-p")
  Double minP;

  @Option(names = "--repetition-penalty")
  Double repetitionPenalty;

  @Option(names = "--seed", description = "seed of this request's sampling")
  Long seed;

  @Option(names = "--n", description = "completions per prompt")
  Integer n;

  @Option(names = "--ignore-eos", description = "keep going after the end-of-sequence token")
  boolean ignoreEos;

  @Option(names = "--logprobs", description = "report the top K logprobs of each generated token")
  Integer logprobs;

  @Option(names = "--stop", description = "stop string (repeatable)")
  List<String> stop;

  @Option(names = "--stop-token-ids", split = ",", description = "stop token ids, comma-separated")
  List<Integer> stopTokenIds;

  SamplingParams.Builder applyTo(SamplingParams.Builder b) {
    if (maxTokens != null) b.maxTokens(maxTokens);
    if (minTokens != null) b.minTokens(minTokens);
    if (temperature != null) b.temperature(temperature);
    if (topP != null) b.topP(topP);
    if (topK != null) b.topK(topK);
    if (minP != null) b.minP(minP);
    if (repetitionPenalty != null) b.repetitionPenalty(repetitionPenalty);
    if (seed != null) b.seed(seed);
    if (n != null) b.n(n);
    if (ignoreEos) b.ignoreEos(true);
    if (logprobs != null) b.logprobs(logprobs);
    if (stop != null) b.stop(stop);
    if (stopTokenIds != null) b.stopTokenIds(stopTokenIds);
    return b;
  }
}

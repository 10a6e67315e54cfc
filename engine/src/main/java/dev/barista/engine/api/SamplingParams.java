package dev.barista.engine.api;

import java.util.List;
import java.util.Map;

/**
 * How to sample one request, with vLLM's field names (camelCase here), defaults and validation.
 * Build with {@link #builder()}; {@link Builder#build()} validates and throws {@link
 * InvalidParameterException} naming the offending field.
 *
 * @param n number of completions to return
 * @param temperature 0 (or below 1e-5) means greedy
 * @param topK 0 or -1 disables
 * @param maxTokens null means "up to the context length"
 * @param logprobs number of top logprobs per generated token; null for none
 * @param promptLogprobs number of top logprobs per prompt token; null for none
 * @param logitBias token id to bias added to its logit
 * @param allowedTokenIds when non-null, only these tokens may be sampled
 * @param badWords words (strings) that must never be generated
 */
public record SamplingParams(
    int n,
    double presencePenalty,
    double frequencyPenalty,
    double repetitionPenalty,
    double temperature,
    double topP,
    int topK,
    double minP,
    Long seed,
    List<String> stop,
    List<Integer> stopTokenIds,
    boolean includeStopStrInOutput,
    boolean ignoreEos,
    Integer maxTokens,
    int minTokens,
    Integer logprobs,
    Integer promptLogprobs,
    boolean skipSpecialTokens,
    boolean spacesBetweenSpecialTokens,
    Map<Integer, Double> logitBias,
    List<Integer> allowedTokenIds,
    List<String> badWords,
    boolean detokenize,
    RequestOutputKind outputKind) {

  /** Temperatures below this are treated as greedy, as vLLM does. */
  public static final double GREEDY_EPSILON = 1e-5;

  public SamplingParams {
    stop = stop == null ? List.of() : List.copyOf(stop);
    stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
    badWords = badWords == null ? List.of() : List.copyOf(badWords);
    logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
    allowedTokenIds = allowedTokenIds == null ? null : List.copyOf(allowedTokenIds);
    outputKind = outputKind == null ? RequestOutputKind.CUMULATIVE : outputKind;
    validate(n, presencePenalty, frequencyPenalty, repetitionPenalty, temperature, topP, topK, minP,
        stop, maxTokens, minTokens, logprobs, promptLogprobs, allowedTokenIds);
  }

  public boolean isGreedy() {
    return temperature < GREEDY_EPSILON;
  }

  public static SamplingParams defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.n = n; b.presencePenalty = presencePenalty; b.frequencyPenalty = frequencyPenalty;
    b.repetitionPenalty = repetitionPenalty; b.temperature = temperature; b.topP = topP;
    b.topK = topK; b.minP = minP; b.seed = seed; b.stop = stop; b.stopTokenIds = stopTokenIds;
    b.includeStopStrInOutput = includeStopStrInOutput; b.ignoreEos = ignoreEos;
    b.maxTokens = maxTokens; b.minTokens = minTokens; b.logprobs = logprobs;
    b.promptLogprobs = promptLogprobs; b.skipSpecialTokens = skipSpecialTokens;
    b.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens; b.logitBias = logitBias;
    b.allowedTokenIds = allowedTokenIds; b.badWords = badWords; b.detokenize = detokenize;
    b.outputKind = outputKind;
    return b;
  }

  private static void validate(int n, double presencePenalty, double frequencyPenalty,
      double repetitionPenalty, double temperature, double topP, int topK, double minP,
      List<String> stop, Integer maxTokens, int minTokens, Integer logprobs, Integer promptLogprobs,
      List<Integer> allowedTokenIds) {
    check(n >= 1, "n", "must be at least 1, got " + n);
    check(presencePenalty >= -2 && presencePenalty <= 2, "presence_penalty",
        "must be in [-2, 2], got " + presencePenalty);
    check(frequencyPenalty >= -2 && frequencyPenalty <= 2, "frequency_penalty",
        "must be in [-2, 2], got " + frequencyPenalty);
    check(repetitionPenalty > 0 && Double.isFinite(repetitionPenalty), "repetition_penalty",
        "must be greater than zero, got " + repetitionPenalty);
    check(temperature >= 0 && Double.isFinite(temperature), "temperature",
        "must be non-negative, got " + temperature);
    check(topP > 0 && topP <= 1, "top_p", "must be in (0, 1], got " + topP);
    check(topK >= -1, "top_k", "must be 0 or -1 (disabled), or at least 1, got " + topK);
    check(minP >= 0 && minP <= 1, "min_p", "must be in [0, 1], got " + minP);
    check(maxTokens == null || maxTokens >= 1, "max_tokens", "must be at least 1, got " + maxTokens);
    check(minTokens >= 0, "min_tokens", "must be greater than or equal to 0, got " + minTokens);
    check(maxTokens == null || minTokens <= maxTokens, "min_tokens",
        "must be less than or equal to max_tokens=" + maxTokens + ", got " + minTokens);
    check(logprobs == null || logprobs >= -1, "logprobs", "must be non-negative, got " + logprobs);
    check(promptLogprobs == null || promptLogprobs >= -1, "prompt_logprobs",
        "must be non-negative, got " + promptLogprobs);
    for (String s : stop) check(s != null && !s.isEmpty(), "stop", "cannot contain an empty string");
    check(allowedTokenIds == null || !allowedTokenIds.isEmpty(), "allowed_token_ids",
        "must not be empty");
  }

  private static void check(boolean ok, String field, String message) {
    if (!ok) throw new InvalidParameterException(field, field + " " + message);
  }

  /** Mutable builder with vLLM's defaults. */
  public static final class Builder {
    private int n = 1;
    private double presencePenalty = 0;
    private double frequencyPenalty = 0;
    private double repetitionPenalty = 1;
    private double temperature = 1;
    private double topP = 1;
    private int topK = 0;
    private double minP = 0;
    private Long seed;
    private List<String> stop = List.of();
    private List<Integer> stopTokenIds = List.of();
    private boolean includeStopStrInOutput;
    private boolean ignoreEos;
    private Integer maxTokens = 16;
    private int minTokens;
    private Integer logprobs;
    private Integer promptLogprobs;
    private boolean skipSpecialTokens = true;
    private boolean spacesBetweenSpecialTokens = true;
    private Map<Integer, Double> logitBias = Map.of();
    private List<Integer> allowedTokenIds;
    private List<String> badWords = List.of();
    private boolean detokenize = true;
    private RequestOutputKind outputKind = RequestOutputKind.CUMULATIVE;

    public Builder n(int v) { n = v; return this; }
    public Builder presencePenalty(double v) { presencePenalty = v; return this; }
    public Builder frequencyPenalty(double v) { frequencyPenalty = v; return this; }
    public Builder repetitionPenalty(double v) { repetitionPenalty = v; return this; }
    public Builder temperature(double v) { temperature = v; return this; }
    public Builder topP(double v) { topP = v; return this; }
    public Builder topK(int v) { topK = v; return this; }
    public Builder minP(double v) { minP = v; return this; }
    public Builder seed(Long v) { seed = v; return this; }
    public Builder stop(List<String> v) { stop = v; return this; }
    public Builder stopTokenIds(List<Integer> v) { stopTokenIds = v; return this; }
    public Builder includeStopStrInOutput(boolean v) { includeStopStrInOutput = v; return this; }
    public Builder ignoreEos(boolean v) { ignoreEos = v; return this; }
    public Builder maxTokens(Integer v) { maxTokens = v; return this; }
    public Builder minTokens(int v) { minTokens = v; return this; }
    public Builder logprobs(Integer v) { logprobs = v; return this; }
    public Builder promptLogprobs(Integer v) { promptLogprobs = v; return this; }
    public Builder skipSpecialTokens(boolean v) { skipSpecialTokens = v; return this; }
    public Builder spacesBetweenSpecialTokens(boolean v) { spacesBetweenSpecialTokens = v; return this; }
    public Builder logitBias(Map<Integer, Double> v) { logitBias = v; return this; }
    public Builder allowedTokenIds(List<Integer> v) { allowedTokenIds = v; return this; }
    public Builder badWords(List<String> v) { badWords = v; return this; }
    public Builder detokenize(boolean v) { detokenize = v; return this; }
    public Builder outputKind(RequestOutputKind v) { outputKind = v; return this; }

    public SamplingParams build() {
      return new SamplingParams(n, presencePenalty, frequencyPenalty, repetitionPenalty,
          temperature, topP, topK, minP, seed, stop, stopTokenIds, includeStopStrInOutput,
          ignoreEos, maxTokens, minTokens, logprobs, promptLogprobs, skipSpecialTokens,
          spacesBetweenSpecialTokens, logitBias, allowedTokenIds, badWords, detokenize, outputKind);
    }
  }
}

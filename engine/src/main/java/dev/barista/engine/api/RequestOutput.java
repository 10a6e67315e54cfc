package dev.barista.engine.api;

import dev.barista.engine.sampling.TokenLogprobs;
import java.util.List;

/**
 * The output of one request, as vLLM's RequestOutput.
 *
 * @param prompt the prompt text, or null for a token-id prompt
 * @param promptTokenIds the prompt's tokens
 * @param promptLogprobs per prompt position (the first is null), or null when not asked
 * @param outputs the n completions
 * @param finished whether every completion has finished
 * @param numCachedTokens prompt tokens served from the prefix cache
 */
public record RequestOutput(
    String requestId,
    String prompt,
    List<Integer> promptTokenIds,
    List<TokenLogprobs> promptLogprobs,
    List<CompletionOutput> outputs,
    boolean finished,
    int numCachedTokens) {}

package dev.barista.engine.sampling;

/**
 * The logprob of one chosen token and of the top-k tokens at that position, computed from the raw
 * logits (before any penalty or temperature), as vLLM reports them.
 *
 * @param tokenId the chosen (sampled or prompt) token
 * @param logprob its log-probability
 * @param rank its 1-based rank in the distribution
 * @param topTokenIds the k most likely tokens, most likely first
 * @param topLogprobs their log-probabilities
 */
public record TokenLogprobs(
    int tokenId, float logprob, int rank, int[] topTokenIds, float[] topLogprobs) {}

package dev.barista.engine.api;

/**
 * vLLM's BeamSearchParams.
 *
 * @param beamWidth beams kept after every step (and sequences returned)
 * @param maxTokens tokens generated at most
 * @param ignoreEos keep extending beams past an end-of-sequence token
 * @param temperature the sampling temperature of each step's one-token request; its sampled token
 *     joins the candidates (at 0, the most likely token, which is among them anyway)
 * @param lengthPenalty a beam's score is its cumulative logprob / length^lengthPenalty
 */
public record BeamSearchParams(int beamWidth, int maxTokens, boolean ignoreEos, double temperature,
    double lengthPenalty) {

  public BeamSearchParams {
    if (beamWidth < 1) throw new InvalidParameterException("beam_width", "beam_width must be at least 1, got " + beamWidth);
    if (maxTokens < 1) throw new InvalidParameterException("max_tokens", "max_tokens must be at least 1, got " + maxTokens);
    if (!(temperature >= 0)) {
      throw new InvalidParameterException("temperature", "temperature must be non-negative, got " + temperature);
    }
    if (!Double.isFinite(lengthPenalty)) {
      throw new InvalidParameterException("length_penalty", "length_penalty must be finite, got " + lengthPenalty);
    }
  }

  /** vLLM's defaults: no EOS ignored, greedy steps, length penalty 1. */
  public static BeamSearchParams of(int beamWidth, int maxTokens) {
    return new BeamSearchParams(beamWidth, maxTokens, false, 0.0, 1.0);
  }
}

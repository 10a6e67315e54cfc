package dev.barista.engine.sampling;

import dev.barista.engine.api.SamplingParams;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Picks the next token of a sequence from its logits, backend-free. Order as vLLM: logprobs from
 * the raw logits; allowed_token_ids; bad_words; min_tokens; logit_bias; repetition, frequency and
 * presence penalties; greedy (argmax) when temperature < 1e-5; otherwise temperature, min_p, top_k
 * then top_p, and a draw from the sequence's own random stream.
 */
public final class Sampler {
  private Sampler() {}

  /** The chosen token, and its logprobs when the request asked for them (else null). */
  public record Sample(int tokenId, TokenLogprobs logprobs) {}

  /** Samples from {@code rawLogits} (not modified) for the sequence's next output position. */
  public static Sample sample(float[] rawLogits, SequenceSamplingState state) {
    SamplingParams p = state.params();
    float[] logits = rawLogits.clone();
    process(logits, state);
    int token = p.isGreedy() ? argmax(logits) : draw(logits, state.nextUniform());
    TokenLogprobs lp = p.logprobs() == null ? null : Logprobs.of(rawLogits, token, p.logprobs());
    return new Sample(token, lp);
  }

  /**
   * Applies every step before the draw to {@code logits} in place: what remains finite is what may
   * be sampled, and (unless greedy) the values are the tempered logits to draw from.
   */
  public static void process(float[] logits, SequenceSamplingState state) {
    SamplingParams p = state.params();
    if (p.allowedTokenIds() != null) LogitsProcessors.keepOnly(logits, p.allowedTokenIds());
    LogitsProcessors.ban(logits, state.bannedTokens());
    if (!p.logitBias().isEmpty()) LogitsProcessors.addBias(logits, p.logitBias());
    LogitsProcessors.applyPenalties(logits, state.seenTokens(), state.outputCounts(),
        p.repetitionPenalty(), p.frequencyPenalty(), p.presencePenalty());
    if (p.isGreedy()) return;
    LogitsProcessors.applyTemperature(logits, p.temperature());
    LogitsProcessors.applyMinP(logits, p.minP());
    LogitsProcessors.applyTopK(logits, p.topK());
    LogitsProcessors.applyTopP(logits, p.topP());
  }

  /**
   * The index of the largest logit; the lowest such index on ties. Two vector passes (the maximum
   * is exact in any order, then the first index holding it) instead of a scalar compare chain
   * over the whole vocabulary each step.
   */
  public static int argmax(float[] logits) {
    var fs = FloatVector.SPECIES_PREFERRED;
    FloatVector max = FloatVector.broadcast(fs, Float.NEGATIVE_INFINITY);
    int i = 0;
    for (int end = fs.loopBound(logits.length); i < end; i += fs.length()) {
      max = max.max(FloatVector.fromArray(fs, logits, i));
    }
    float m = max.reduceLanes(VectorOperators.MAX);
    for (; i < logits.length; i++) m = Math.max(m, logits[i]);
    int j = 0;
    for (int end = fs.loopBound(logits.length); j < end; j += fs.length()) {
      var hit = FloatVector.fromArray(fs, logits, j).eq(m);
      if (hit.anyTrue()) return j + hit.firstTrue();
    }
    for (; j < logits.length; j++) if (logits[j] == m) return j;
    // NaN somewhere (max is NaN): fall back to the plain compare chain
    int best = 0;
    for (int k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k;
    return best;
  }

  /**
   * Inverse-CDF draw over softmax(logits) with the uniform {@code u}: walks tokens in id order, so
   * the result depends only on the logits and u.
   */
  static int draw(float[] logits, double u) {
    float max = LogitsProcessors.max(logits);
    if (max == Float.NEGATIVE_INFINITY) return argmax(logits);
    float[] p = new float[logits.length];
    double target = u * Exp.shifted(logits, max, p);
    double cum = 0;
    int last = -1;
    for (int i = 0; i < p.length; i++) {
      if (p[i] == 0f) continue;
      cum += p[i];
      last = i;
      if (cum > target) return i;
    }
    return last;
  }
}

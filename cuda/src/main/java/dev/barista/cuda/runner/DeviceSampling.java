package dev.barista.cuda.runner;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;

/**
 * Which sequences the device samples (so only a token id comes back) and the three floats its
 * kernel reads: greedy, or temperature with optional min_p, drawn with the sequence's own uniform
 * exactly as the CPU Sampler draws. Anything else (penalties, biases, allowed/bad words, top-k,
 * top-p, logprobs, min_tokens still pending) copies the row's logits back to the CPU Sampler.
 */
public final class DeviceSampling {
  private DeviceSampling() {}

  public static boolean supports(SequenceSamplingState st) {
    SamplingParams p = st.params();
    return p.logprobs() == null
        && p.allowedTokenIds() == null
        && p.badWords().isEmpty()
        && p.logitBias().isEmpty()
        && st.outputLength() >= p.minTokens()
        && p.repetitionPenalty() == 1.0
        && p.frequencyPenalty() == 0.0
        && p.presencePenalty() == 0.0
        && (p.isGreedy() || ((p.topK() <= 0 || p.topK() >= st.vocabSize()) && p.topP() >= 1.0));
  }

  /** Writes {1/temperature or 0 for greedy, log(min_p) or -inf, u} as float bits. */
  public static void write(SequenceSlice slice, int[] buffer, int offset) {
    SequenceSamplingState st = slice.sampling();
    SamplingParams p = st.params();
    float invT = p.isGreedy() ? 0f : (float) (1.0 / p.temperature());
    float logMinP = p.minP() > 0 ? (float) Math.log(p.minP()) : Float.NEGATIVE_INFINITY;
    float u = p.isGreedy() ? 0f : (float) st.nextUniform();
    buffer[offset] = Float.floatToRawIntBits(invT);
    buffer[offset + 1] = Float.floatToRawIntBits(logMinP);
    buffer[offset + 2] = Float.floatToRawIntBits(u);
  }
}

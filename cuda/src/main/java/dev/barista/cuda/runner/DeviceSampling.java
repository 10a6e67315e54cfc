package dev.barista.cuda.runner;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.Locale;

/**
 * Which sequences the device samples (so only a token id comes back) and the words its kernels
 * read per logits row. In mode {@link Mode#FULL} (sampling_full.cu) the device applies
 * repetition/frequency/presence penalties, temperature, min_p, top_k and top_p in the CPU
 * Sampler's order and draws with the sequence's own uniform; {@link Mode#BASIC} (sampling.cu's
 * sample_rows) takes only greedy and temperature with min_p. In full mode, allowed_token_ids,
 * bad_words, min_tokens and logit_bias go through a per-sequence bias row on the device (see
 * PenaltySlots). Rows asking for logprobs (up to {@link #MAX_LOGPROBS}), and prompt rows asking
 * for prompt logprobs, get them from logprobs.cu, from the same raw logits as the CPU path. Rows
 * with more logprobs (or the whole vocabulary's) go to the CPU Sampler.
 */
public final class DeviceSampling {
  /** Words a row takes in the step inputs (both modes; basic reads the first 3, logprobs.cu the last). */
  public static final int WORDS = 19;
  /** Most top logprobs a row gets on the device (vLLM's default --max-logprobs is 20). */
  public static final int MAX_LOGPROBS = 20;
  /** Words logprobs.cu writes per row: the chosen token's logprob and rank, then the top ids and logprobs. */
  public static final int LOGPROB_WORDS = 2 + 2 * MAX_LOGPROBS;
  /** The system property that turns logprobs on the device off (true by default): they then take the CPU path. */
  public static final String LOGPROBS_PROPERTY = "barista.cuda.deviceLogprobs";
  private static final boolean DEVICE_LOGPROBS = Boolean.parseBoolean(System.getProperty(LOGPROBS_PROPERTY, "true"));
  /** The system property that picks the mode. */
  public static final String MODE_PROPERTY = "barista.cuda.deviceSampling";

  public enum Mode {
    FULL,
    BASIC;

    /** From {@code -Dbarista.cuda.deviceSampling=full|basic} (default full). */
    public static Mode fromProperty() {
      String v = System.getProperty(MODE_PROPERTY, "full").trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "full" -> FULL;
        case "basic" -> BASIC;
        default -> throw new IllegalArgumentException(
            "-D" + MODE_PROPERTY + " must be full or basic, got " + v);
      };
    }
  }

  private DeviceSampling() {}

  public static boolean supports(SequenceSamplingState st, Mode mode) {
    SamplingParams p = st.params();
    boolean logprobs = p.logprobs() == null || (DEVICE_LOGPROBS && p.logprobs() >= 0 && p.logprobs() <= MAX_LOGPROBS);
    if (mode == Mode.FULL) return logprobs;
    return logprobs
        && !needsBiasRow(p)
        && !hasPenalties(p)
        && (p.isGreedy() || ((p.topK() <= 0 || p.topK() >= st.vocabSize()) && p.topP() >= 1.0));
  }

  /**
   * Whether the request masks or biases tokens (allowed_token_ids, bad_words, min_tokens,
   * logit_bias): the full kernel then reads the sequence's bias row.
   */
  public static boolean needsBiasRow(SamplingParams p) {
    return p.allowedTokenIds() != null || !p.badWords().isEmpty() || p.minTokens() > 0 || !p.logitBias().isEmpty();
  }

  /** Whether the request penalizes tokens it has seen (the device then needs their counts). */
  public static boolean hasPenalties(SamplingParams p) {
    return p.repetitionPenalty() != 1.0 || p.frequencyPenalty() != 0.0 || p.presencePenalty() != 0.0;
  }

  /**
   * Writes a row's {@link #WORDS} words at {@code offset}: 1/temperature (0 for greedy), log(min_p)
   * (-inf for none), the uniform u, top_k, the repetition penalty (floats as raw bits), the penalty
   * slot ({@code -1} for none), then top_p, frequency and presence penalties, u and log(min_p)
   * again as doubles (low word first), so that they enter the arithmetic exactly as on the CPU
   * (the basic kernel reads the float u and log(min_p)); then the number of top logprobs (-1: no
   * logprobs), -1 (the token they report is the sampled one), and whether the slot's bias row
   * applies.
   */
  public static void write(SequenceSamplingState st, int penaltySlot, int[] buffer, int offset) {
    SamplingParams p = st.params();
    float invT = p.isGreedy() ? 0f : (float) (1.0 / p.temperature());
    float logMinP = p.minP() > 0 ? (float) Math.log(p.minP()) : Float.NEGATIVE_INFINITY;
    float u = p.isGreedy() ? 0f : (float) st.nextUniform();
    buffer[offset] = Float.floatToRawIntBits(invT);
    buffer[offset + 1] = Float.floatToRawIntBits(logMinP);
    buffer[offset + 2] = Float.floatToRawIntBits(u);
    buffer[offset + 3] = p.topK();
    buffer[offset + 4] = Float.floatToRawIntBits((float) p.repetitionPenalty());
    buffer[offset + 5] = penaltySlot;
    putDouble(buffer, offset + 6, p.topP());
    putDouble(buffer, offset + 8, p.frequencyPenalty());
    putDouble(buffer, offset + 10, p.presencePenalty());
    putDouble(buffer, offset + 12, p.isGreedy() ? 0.0 : st.nextUniform());
    putDouble(buffer, offset + 14, p.minP() > 0 ? Math.log(p.minP()) : Double.NEGATIVE_INFINITY);
    buffer[offset + 16] = p.logprobs() == null ? -1 : p.logprobs();
    buffer[offset + 17] = -1;
    buffer[offset + 18] = penaltySlot >= 0 && needsBiasRow(p) ? 1 : 0;
  }

  /** Whether a request's prompt logprobs come from the device (the same limit as logprobs). */
  public static boolean promptLogprobsOnDevice(SamplingParams p) {
    Integer k = p.promptLogprobs();
    return DEVICE_LOGPROBS && k != null && k >= 0 && k <= MAX_LOGPROBS;
  }

  /** A prompt row's words: inert for sampling, asking logprobs.cu for {@code k} top logprobs and the logprob of {@code token}. */
  public static void writePromptRow(int k, int token, int[] buffer, int offset) {
    writeUnused(buffer, offset);
    buffer[offset + 16] = k;
    buffer[offset + 17] = token;
  }

  /** Whether a row written by {@link #write} asks logprobs.cu for logprobs. */
  public static boolean wantsLogprobs(int[] buffer, int offset) {
    return buffer[offset + 16] >= 0;
  }

  /**
   * The CPU path's TokenLogprobs from a row of logprobs.cu's output ({@link #LOGPROB_WORDS} words
   * at {@code offset}) for the chosen token and {@code k} top entries.
   */
  public static TokenLogprobs logprobs(int[] out, int offset, int tokenId, int k) {
    int[] ids = new int[k];
    float[] lps = new float[k];
    for (int i = 0; i < k; i++) {
      ids[i] = out[offset + 2 + i];
      lps[i] = Float.intBitsToFloat(out[offset + 2 + MAX_LOGPROBS + i]);
    }
    return new TokenLogprobs(tokenId, Float.intBitsToFloat(out[offset]), out[offset + 1], ids, lps);
  }

  /** A row whose device result is not used (sampled on the CPU): greedy, nothing to read. */
  public static void writeUnused(int[] buffer, int offset) {
    java.util.Arrays.fill(buffer, offset, offset + WORDS, 0);
    buffer[offset + 1] = Float.floatToRawIntBits(Float.NEGATIVE_INFINITY);
    buffer[offset + 4] = Float.floatToRawIntBits(1f);
    buffer[offset + 5] = -1;
    putDouble(buffer, offset + 6, 1.0);
    putDouble(buffer, offset + 14, Double.NEGATIVE_INFINITY);
    buffer[offset + 16] = -1;
    buffer[offset + 17] = -1;
    buffer[offset + 18] = 0;
  }

  private static void putDouble(int[] buffer, int offset, double v) {
    long bits = Double.doubleToRawLongBits(v);
    buffer[offset] = (int) bits;
    buffer[offset + 1] = (int) (bits >>> 32);
  }
}

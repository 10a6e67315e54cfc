package dev.barista.engine.sampling;

import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.SamplingParams;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the sampler needs to know about one sequence (one of a request's n completions): its
 * parameters, prompt and output tokens, end-of-sequence ids, pre-tokenized bad words, output token
 * counts for the penalties, and its random stream.
 *
 * <p>Randomness is counter-based: the uniform draw for output step t is a hash of (seed,
 * completion index, t). A seeded request therefore samples the same tokens whatever else is in the
 * batch, and even when its KV cache is recomputed after preemption.
 *
 * <p>The engine owns the sequence: after each step it calls {@link #appendOutput} with the token it
 * accepted. The sampler only reads this state.
 */
public final class SequenceSamplingState {
  private final SamplingParams params;
  private final int[] promptTokenIds;
  private final int completionIndex;
  private final long seed;
  private final int[] eosTokenIds;
  private final List<int[]> badWordsTokenIds;
  private final int vocabSize;
  private final BitSet seenTokens = new BitSet();
  private final Map<Integer, Integer> outputCounts = new HashMap<>();
  private int[] output = new int[16];
  private int outputLength;

  private SequenceSamplingState(SamplingParams params, int[] promptTokenIds, int completionIndex,
      long seed, int[] eosTokenIds, List<int[]> badWordsTokenIds, int vocabSize) {
    this.params = params;
    this.promptTokenIds = promptTokenIds;
    this.completionIndex = completionIndex;
    this.seed = seed;
    this.eosTokenIds = eosTokenIds;
    this.badWordsTokenIds = badWordsTokenIds;
    this.vocabSize = vocabSize;
    for (int t : promptTokenIds) seenTokens.set(t);
  }

  /**
   * Creates the state of completion {@code completionIndex} of a request, validating token ids
   * against the vocabulary.
   *
   * @param eosTokenIds the model's end-of-sequence ids (banned until min_tokens is reached)
   * @param badWordsTokenIds params.badWords tokenized by the caller (each word as one id sequence;
   *     vLLM tokenizes each word with and without a leading space); empty when there are none
   * @throws InvalidParameterException for ids outside [0, vocabSize)
   */
  public static SequenceSamplingState create(SamplingParams params, int[] promptTokenIds,
      int completionIndex, List<Integer> eosTokenIds, List<int[]> badWordsTokenIds, int vocabSize) {
    checkIds("prompt", promptTokenIds, vocabSize);
    if (params.allowedTokenIds() != null) {
      checkIds("allowed_token_ids",
          params.allowedTokenIds().stream().mapToInt(Integer::intValue).toArray(), vocabSize);
    }
    checkIds("logit_bias", params.logitBias().keySet().stream().mapToInt(Integer::intValue).toArray(),
        vocabSize);
    for (int[] word : badWordsTokenIds) checkIds("bad_words", word, vocabSize);
    long seed = params.seed() != null
        ? params.seed()
        : ThreadLocalRandom.current().nextLong();
    int[] eos = eosTokenIds.stream().mapToInt(Integer::intValue).toArray();
    return new SequenceSamplingState(params, promptTokenIds.clone(), completionIndex, seed, eos,
        badWordsTokenIds.stream().map(int[]::clone).toList(), vocabSize);
  }

  /** Shorthand for a request without bad words. */
  public static SequenceSamplingState create(SamplingParams params, int[] promptTokenIds,
      List<Integer> eosTokenIds, int vocabSize) {
    return create(params, promptTokenIds, 0, eosTokenIds, List.of(), vocabSize);
  }

  /** A fresh state for another completion of the same request (n > 1), with no output yet. */
  public SequenceSamplingState forCompletion(int index) {
    return new SequenceSamplingState(params, promptTokenIds, index, seed, eosTokenIds,
        badWordsTokenIds, vocabSize);
  }

  private static void checkIds(String field, int[] ids, int vocabSize) {
    for (int id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw new InvalidParameterException(field, field + " contains token id " + id
            + " outside the vocabulary [0, " + vocabSize + ")");
      }
    }
  }

  /** Records a generated token; call once per accepted token, in order. */
  public void appendOutput(int tokenId) {
    if (outputLength == output.length) output = Arrays.copyOf(output, output.length * 2);
    output[outputLength++] = tokenId;
    seenTokens.set(tokenId);
    outputCounts.merge(tokenId, 1, Integer::sum);
  }

  public SamplingParams params() {
    return params;
  }

  public int completionIndex() {
    return completionIndex;
  }

  public int[] promptTokenIds() {
    return promptTokenIds.clone();
  }

  public int promptLength() {
    return promptTokenIds.length;
  }

  public int promptToken(int position) {
    return promptTokenIds[position];
  }

  public int outputLength() {
    return outputLength;
  }

  public int outputToken(int i) {
    if (i >= outputLength) throw new IndexOutOfBoundsException(i);
    return output[i];
  }

  public int[] outputTokenIds() {
    return Arrays.copyOf(output, outputLength);
  }

  /** The token at absolute position {@code position} of prompt + output. */
  public int tokenAt(int position) {
    return position < promptTokenIds.length
        ? promptTokenIds[position]
        : outputToken(position - promptTokenIds.length);
  }

  public int vocabSize() {
    return vocabSize;
  }

  /** The model's end-of-sequence ids. */
  public int[] eosTokenIds() {
    return eosTokenIds.clone();
  }

  List<int[]> badWordsTokenIds() {
    return badWordsTokenIds;
  }

  /**
   * The tokens masked at the next position besides those outside allowed_token_ids (see
   * Sampler.process): the last token of each bad word whose other tokens end the output so far,
   * and while the output is shorter than min_tokens the EOS ids (unless ignore_eos) and the
   * stop_token_ids.
   */
  public int[] bannedTokens() {
    int[] bad = badWordsTokenIds.isEmpty() ? new int[0] : LogitsProcessors.badWordBans(badWordsTokenIds, outputTokenIds());
    if (outputLength() >= params.minTokens()) return bad;
    java.util.stream.IntStream eos = params.ignoreEos() ? java.util.stream.IntStream.empty() : java.util.Arrays.stream(eosTokenIds);
    java.util.stream.IntStream stop = params.stopTokenIds().stream().mapToInt(Integer::intValue);
    return java.util.stream.IntStream.concat(java.util.Arrays.stream(bad), java.util.stream.IntStream.concat(eos, stop)).toArray();
  }

  /** Tokens in the prompt or the output so far (for the repetition penalty). */
  BitSet seenTokens() {
    return seenTokens;
  }

  /** How often each token occurs in the output so far (frequency and presence penalties). */
  Map<Integer, Integer> outputCounts() {
    return outputCounts;
  }

  /** The uniform draw in [0, 1) for the next output token: a function of seed, index and step. */
  public double nextUniform() {
    long h = mix(seed ^ mix(completionIndex * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L)
        ^ mix(outputLength + 0xD1B54A32D192ED03L));
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}

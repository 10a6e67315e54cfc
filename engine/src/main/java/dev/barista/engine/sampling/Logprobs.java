package dev.barista.engine.sampling;

/** Log-probabilities from raw logits: the chosen token's, its rank, and the top k. */
public final class Logprobs {
  private Logprobs() {}

  /** log(sum(exp(logits))), accumulated in double. */
  public static double logSumExp(float[] logits) {
    float max = LogitsProcessors.max(logits);
    return max + Math.log(Exp.shifted(logits, max, new float[logits.length]));
  }

  /**
   * The logprob of {@code tokenId} and of the {@code k} most likely tokens (k = -1: the whole
   * vocabulary; 0: none).
   */
  public static TokenLogprobs of(float[] logits, int tokenId, int k) {
    return of(logits, logSumExp(logits), tokenId, k);
  }

  static TokenLogprobs of(float[] logits, double logSumExp, int tokenId, int k) {
    float chosen = logits[tokenId];
    int rank = 1;
    for (float l : logits) if (l > chosen) rank++;
    int n = k < 0 ? logits.length : Math.min(k, logits.length);
    int[] topIds = topIndices(logits, n);
    float[] topLogprobs = new float[n];
    for (int i = 0; i < n; i++) topLogprobs[i] = (float) (logits[topIds[i]] - logSumExp);
    return new TokenLogprobs(tokenId, (float) (chosen - logSumExp), rank, topIds, topLogprobs);
  }

  /** Indices of the n largest values, largest first (ties: lower index first). */
  static int[] topIndices(float[] values, int n) {
    if (n > 64) return sortedIndices(values, n);
    int[] top = new int[n];
    int size = 0;
    for (int i = 0; i < values.length && n > 0; i++) {
      float v = values[i];
      if (size == n && !(v > values[top[n - 1]])) continue;
      int j = size < n ? size++ : n - 1;
      while (j > 0 && v > values[top[j - 1]]) {
        top[j] = top[j - 1];
        j--;
      }
      top[j] = i;
    }
    return top;
  }

  /** The same by a full sort: for large n (up to the whole vocabulary) insertion would be O(V n). */
  private static int[] sortedIndices(float[] values, int n) {
    long[] keys = new long[values.length];
    for (int i = 0; i < values.length; i++) keys[i] = LogitsProcessors.sortKeyDescending(values[i], i);
    java.util.Arrays.sort(keys);
    int[] top = new int[n];
    for (int i = 0; i < n; i++) top[i] = (int) keys[i];
    return top;
  }
}

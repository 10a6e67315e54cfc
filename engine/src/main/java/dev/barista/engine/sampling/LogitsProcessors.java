package dev.barista.engine.sampling;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The steps that turn raw logits into the distribution a token is drawn from, each in place on a
 * logits array; {@link Sampler} runs them in vLLM's order. A removed token gets -infinity.
 */
public final class LogitsProcessors {
  static final float MASKED = Float.NEGATIVE_INFINITY;

  private LogitsProcessors() {}

  /** Masks every token not in {@code allowed}. */
  public static void keepOnly(float[] logits, List<Integer> allowed) {
    BitSet keep = new BitSet(logits.length);
    for (int id : allowed) keep.set(id);
    for (int i = keep.nextClearBit(0); i < logits.length; i = keep.nextClearBit(i + 1)) {
      logits[i] = MASKED;
    }
  }

  /**
   * Bans the last token of each bad word whose preceding tokens are the end of the output so far
   * (a one-token word is always banned).
   */
  public static void banBadWords(float[] logits, List<int[]> badWords, int[] output) {
    ban(logits, badWordBans(badWords, output));
  }

  /** The tokens {@link #banBadWords} masks after {@code output}. */
  public static int[] badWordBans(List<int[]> badWords, int[] output) {
    int[] banned = new int[badWords.size()];
    int n = 0;
    for (int[] word : badWords) {
      int prefix = word.length - 1;
      if (prefix > output.length) continue;
      boolean matches = true;
      for (int i = 0; i < prefix && matches; i++) {
        matches = output[output.length - prefix + i] == word[i];
      }
      if (matches) banned[n++] = word[prefix];
    }
    return java.util.Arrays.copyOf(banned, n);
  }

  /** Masks the given tokens (stop and end-of-sequence ids while min_tokens is not reached). */
  public static void ban(float[] logits, int[] tokens) {
    for (int t : tokens) if (t >= 0 && t < logits.length) logits[t] = MASKED;
  }

  public static void addBias(float[] logits, Map<Integer, Double> bias) {
    for (Map.Entry<Integer, Double> e : bias.entrySet()) {
      logits[e.getKey()] += e.getValue().floatValue();
    }
  }

  /**
   * Repetition penalty over tokens seen in prompt or output (positive logits divided, negative
   * multiplied), then frequency (times the output count) and presence (once per output token)
   * penalties subtracted.
   */
  public static void applyPenalties(float[] logits, BitSet seen, Map<Integer, Integer> outputCounts,
      double repetition, double frequency, double presence) {
    if (repetition != 1.0) {
      float r = (float) repetition;
      for (int t = seen.nextSetBit(0); t >= 0 && t < logits.length; t = seen.nextSetBit(t + 1)) {
        logits[t] = logits[t] > 0 ? logits[t] / r : logits[t] * r;
      }
    }
    if (frequency != 0 || presence != 0) {
      for (Map.Entry<Integer, Integer> e : outputCounts.entrySet()) {
        logits[e.getKey()] -= (float) (frequency * e.getValue() + presence);
      }
    }
  }

  public static void applyTemperature(float[] logits, double temperature) {
    if (temperature == 1.0) return;
    float inv = (float) (1.0 / temperature);
    for (int i = 0; i < logits.length; i++) logits[i] *= inv;
  }

  /** Masks tokens whose probability is below {@code minP} times the most likely token's. */
  public static void applyMinP(float[] logits, double minP) {
    if (minP <= 0) return;
    float max = max(logits);
    // p_i / p_max = exp(l_i - l_max), so compare in log space: no softmax needed.
    double threshold = max + Math.log(minP);
    for (int i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = MASKED;
  }

  /** Keeps the tokens whose logit is at least the k-th largest (ties with it are kept). */
  public static void applyTopK(float[] logits, int k) {
    if (k <= 0 || k >= logits.length) return;
    float kth = kthLargest(logits, k);
    for (int i = 0; i < logits.length; i++) if (logits[i] < kth) logits[i] = MASKED;
  }

  /**
   * Keeps the most likely tokens whose preceding (more likely) tokens hold less than {@code topP}
   * of the probability: the smallest top set reaching topP. The top token is always kept.
   */
  public static void applyTopP(float[] logits, double topP) {
    if (topP >= 1) return;
    float max = max(logits);
    float[] p = new float[logits.length];
    double needed = topP * Exp.shifted(logits, max, p);
    // Only tokens at or above a threshold tau whose mass reaches topP can be kept: any token below
    // it has at least that mass above it. Lower tau geometrically until the mass suffices, then
    // sort just those candidates.
    float tau = 1f;
    int count;
    while (true) {
      double mass = 0;
      count = 0;
      for (float x : p) {
        if (x >= tau) {
          mass += x;
          count++;
        }
      }
      if (mass >= needed || tau == 0f) break;
      tau = tau > 1e-30f ? tau / 16 : 0f;
    }
    long[] order = new long[count];
    int n = 0;
    for (int i = 0; i < logits.length; i++) {
      if (p[i] >= tau && logits[i] != MASKED) order[n++] = sortKeyDescending(logits[i], i);
    }
    Arrays.sort(order, 0, n);
    double above = 0;
    BitSet keep = new BitSet(logits.length);
    for (int j = 0; j < n; j++) {
      int id = (int) order[j];
      if (j > 0 && above >= needed) break;
      keep.set(id);
      above += p[id];
    }
    for (int i = keep.nextClearBit(0); i < logits.length; i = keep.nextClearBit(i + 1)) {
      logits[i] = MASKED;
    }
  }

  /** A long that sorts ascending by logit descending, then by token id ascending. */
  static long sortKeyDescending(float logit, int id) {
    int bits = Float.floatToIntBits(logit);
    int sortable = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // ascending int order = ascending float
    return ((long) ~sortable << 32) | (id & 0xFFFFFFFFL);
  }

  static float max(float[] logits) {
    float m = Float.NEGATIVE_INFINITY;
    for (float l : logits) m = Math.max(m, l);
    return m;
  }

  /** The k-th largest value (1-based), by a bounded min-heap. */
  static float kthLargest(float[] values, int k) {
    float[] heap = new float[k];
    int size = 0;
    for (float v : values) {
      if (size < k) {
        heap[size] = v;
        siftUp(heap, size++);
      } else if (v > heap[0]) {
        heap[0] = v;
        siftDown(heap, k);
      }
    }
    return heap[0];
  }

  private static void siftUp(float[] h, int i) {
    while (i > 0) {
      int p = (i - 1) / 2;
      if (h[p] <= h[i]) return;
      float t = h[p]; h[p] = h[i]; h[i] = t;
      i = p;
    }
  }

  private static void siftDown(float[] h, int n) {
    int i = 0;
    while (true) {
      int l = 2 * i + 1;
      int r = l + 1;
      int m = i;
      if (l < n && h[l] < h[m]) m = l;
      if (r < n && h[r] < h[m]) m = r;
      if (m == i) return;
      float t = h[m]; h[m] = h[i]; h[i] = t;
      i = m;
    }
  }
}

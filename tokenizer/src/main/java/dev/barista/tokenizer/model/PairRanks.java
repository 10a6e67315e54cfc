package dev.barista.tokenizer.model;

import java.util.Arrays;

/**
 * Open-addressing map from a pair of token ids to a packed (rank, merged id), without boxing:
 * BPE looks pairs up millions of times per megabyte of text.
 */
final class PairRanks {
  static final long MISSING = -1L;
  private final long[] keys;
  private final long[] values;
  private final int mask;

  PairRanks(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    Arrays.fill(keys, -1L);
    mask = capacity - 1;
  }

  private static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xffffffffL);
  }

  private static int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29));
  }

  /** Keeps the first (lowest-rank) entry when a pair repeats, as Hugging Face does. */
  void putIfAbsent(int left, int right, int rank, int mergedId) {
    long k = key(left, right);
    int i = slot(k) & mask;
    while (keys[i] != -1L) {
      if (keys[i] == k) return;
      i = (i + 1) & mask;
    }
    keys[i] = k;
    values[i] = ((long) rank << 32) | mergedId;
  }

  /** Packed (rank << 32 | merged id), or MISSING. */
  long get(int left, int right) {
    long k = key(left, right);
    int i = slot(k) & mask;
    while (true) {
      long found = keys[i];
      if (found == k) return values[i];
      if (found == -1L) return MISSING;
      i = (i + 1) & mask;
    }
  }
}

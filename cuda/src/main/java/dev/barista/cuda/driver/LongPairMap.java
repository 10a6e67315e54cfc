package dev.barista.cuda.driver;

import java.util.function.Consumer;

/**
 * A map keyed by two longs, by open addressing (linear probing) over plain arrays, so that a
 * lookup allocates nothing: the per-call plan cache of {@link CuBlasLt}, whose keys are packed
 * GEMM shapes. Not thread-safe (one user, like the stream its owner is bound to).
 */
final class LongPairMap<V> {
  private long[] highs = new long[16];
  private long[] lows = new long[16];
  private Object[] values = new Object[16];
  private int size;

  /** The value stored under (high, low), or null. */
  @SuppressWarnings("unchecked")
  V get(long high, long low) {
    int mask = values.length - 1;
    for (int i = slot(high, low, mask); values[i] != null; i = (i + 1) & mask) {
      if (highs[i] == high && lows[i] == low) return (V) values[i];
    }
    return null;
  }

  /** Stores {@code value} (not null) under (high, low), replacing any value there. */
  void put(long high, long low, V value) {
    if (value == null) throw new IllegalArgumentException("null value");
    if (2 * (size + 1) > values.length) grow();
    int mask = values.length - 1;
    int i = slot(high, low, mask);
    while (values[i] != null && (highs[i] != high || lows[i] != low)) i = (i + 1) & mask;
    if (values[i] == null) size++;
    highs[i] = high;
    lows[i] = low;
    values[i] = value;
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  void forEach(Consumer<? super V> action) {
    for (Object v : values) if (v != null) action.accept((V) v);
  }

  void clear() {
    highs = new long[16];
    lows = new long[16];
    values = new Object[16];
    size = 0;
  }

  private void grow() {
    long[] oldHighs = highs, oldLows = lows;
    Object[] oldValues = values;
    highs = new long[2 * oldValues.length];
    lows = new long[2 * oldValues.length];
    values = new Object[2 * oldValues.length];
    size = 0;
    for (int i = 0; i < oldValues.length; i++) {
      @SuppressWarnings("unchecked")
      V v = (V) oldValues[i];
      if (v != null) put(oldHighs[i], oldLows[i], v);
    }
  }

  /** Home slot of a key: both halves mixed, so that keys differing in one field spread out. */
  private static int slot(long high, long low, int mask) {
    long h = high * 0x9E3779B97F4A7C15L ^ low;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 29)) & mask;
  }
}

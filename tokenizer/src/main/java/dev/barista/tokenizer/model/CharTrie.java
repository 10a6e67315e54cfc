package dev.barista.tokenizer.model;

import java.util.Arrays;

/**
 * A trie over UTF-16 chars with transitions in one open-addressing table (node, char) -> child, so
 * walking a prefix costs one probe per char and no substring allocation.
 */
final class CharTrie {
  private long[] keys;
  private int[] children;
  private int[] values = new int[1024];
  private int nodes = 1;
  private int size;

  CharTrie(int expectedChars) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedChars * 2)) << 1;
    keys = new long[capacity];
    children = new int[capacity];
    Arrays.fill(keys, -1L);
    Arrays.fill(values, -1);
  }

  /** Adds a key with its value (the first value for a key wins). */
  void put(String key, int value) {
    int node = 0;
    for (int i = 0; i < key.length(); i++) {
      int next = child(node, key.charAt(i));
      if (next < 0) next = addChild(node, key.charAt(i));
      node = next;
    }
    if (values[node] < 0) values[node] = value;
  }

  /** The child of node along c, or -1. */
  int child(int node, char c) {
    long k = ((long) node << 16) | c;
    int mask = keys.length - 1;
    for (int i = slot(k) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == k) return children[i];
      if (keys[i] == -1L) return -1;
    }
  }

  /** The value stored at node, or -1. */
  int value(int node) {
    return values[node];
  }

  private int addChild(int node, char c) {
    if (size * 2 >= keys.length) grow();
    int id = nodes++;
    if (id >= values.length) {
      int old = values.length;
      values = Arrays.copyOf(values, old * 2);
      Arrays.fill(values, old, values.length, -1);
    }
    insert(((long) node << 16) | c, id);
    size++;
    return id;
  }

  private void insert(long k, int child) {
    int mask = keys.length - 1;
    int i = slot(k) & mask;
    while (keys[i] != -1L) i = (i + 1) & mask;
    keys[i] = k;
    children[i] = child;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldChildren = children;
    keys = new long[oldKeys.length * 2];
    children = new int[oldKeys.length * 2];
    Arrays.fill(keys, -1L);
    for (int i = 0; i < oldKeys.length; i++) if (oldKeys[i] != -1L) insert(oldKeys[i], oldChildren[i]);
  }

  private static int slot(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 31));
  }
}

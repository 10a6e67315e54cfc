package dev.barista.engine.core;

import java.util.Arrays;

/** A growable run of token ids: the prompt followed by the generated tokens. */
final class TokenSequence {
  private int[] ids;
  private int size;

  TokenSequence(int[] prompt) {
    ids = Arrays.copyOf(prompt, Math.max(16, prompt.length + 16));
    size = prompt.length;
  }

  int size() {
    return size;
  }

  int get(int i) {
    return ids[i];
  }

  void add(int id) {
    if (size == ids.length) ids = Arrays.copyOf(ids, ids.length * 2);
    ids[size++] = id;
  }

  int[] raw() {
    return ids;
  }

  int[] slice(int from, int to) {
    return Arrays.copyOfRange(ids, from, to);
  }
}

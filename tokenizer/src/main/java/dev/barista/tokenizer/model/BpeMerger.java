package dev.barista.tokenizer.model;

import dev.barista.tokenizer.IntList;

/**
 * Applies merges to one word: a min-heap of (rank, position) over a doubly linked list of symbols.
 * Stale heap entries (a neighbour already merged away) are skipped when popped.
 */
final class BpeMerger {
  private BpeMerger() {}

  static int[] merge(IntList initial, PairRanks merges) {
    int n = initial.size();
    if (n <= 1) return initial.toArray();
    int[] ids = initial.toArray();
    int[] prev = new int[n];
    int[] next = new int[n];
    boolean[] gone = new boolean[n];
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i < n; i++) {
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
      if (i + 1 < n) push(heap, merges, ids[i], ids[i + 1], i);
    }
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int rank = (int) (top >>> 32);
      int pos = (int) top;
      if (gone[pos]) continue;
      int right = next[pos];
      if (right < 0) continue;
      long current = merges.get(ids[pos], ids[right]);
      if (current == PairRanks.MISSING || (int) (current >>> 32) != rank) continue;
      ids[pos] = (int) current;
      gone[right] = true;
      next[pos] = next[right];
      if (next[right] >= 0) prev[next[right]] = pos;
      if (prev[pos] >= 0) push(heap, merges, ids[prev[pos]], ids[pos], prev[pos]);
      if (next[pos] >= 0) push(heap, merges, ids[pos], ids[next[pos]], pos);
    }
    IntList out = new IntList(n);
    for (int i = 0; i >= 0; i = next[i]) out.add(ids[i]);
    return out.toArray();
  }

  private static void push(LongHeap heap, PairRanks merges, int left, int right, int pos) {
    long m = merges.get(left, right);
    if (m != PairRanks.MISSING) heap.push((m & 0xffffffff00000000L) | pos);
  }
}

package dev.barista.tokenizer.model;

import java.util.Arrays;

/** A binary min-heap of primitive longs. */
final class LongHeap {
  private long[] data;
  private int size;

  LongHeap(int capacity) {
    data = new long[Math.max(4, capacity)];
  }

  boolean isEmpty() {
    return size == 0;
  }

  void push(long v) {
    if (size == data.length) data = Arrays.copyOf(data, size * 2);
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (data[parent] <= v) break;
      data[i] = data[parent];
      i = parent;
    }
    data[i] = v;
  }

  long pop() {
    long top = data[0];
    long last = data[--size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && data[child + 1] < data[child]) child++;
      if (data[child] >= last) break;
      data[i] = data[child];
      i = child;
    }
    data[i] = last;
    return top;
  }
}

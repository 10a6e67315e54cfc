package dev.barista.cuda.runner;

import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * Which decode steps replay a captured CUDA graph, and the graphs themselves: one per batch-size
 * bucket, captured on first use. A step qualifies when every slice is one sampled token without
 * prompt logprobs and the longest context fits the graphs' block-table width; it then runs padded
 * to the smallest bucket that holds it.
 */
public final class DecodeGraphs {
  private final int[] buckets;
  private final int maxContext;
  private final Map<Integer, Long> graphs = new TreeMap<>();

  /**
   * @param maxBatch largest decode batch to capture (the engine's max_num_seqs)
   * @param maxContext longest context a graph step may have (its block tables' width)
   */
  public DecodeGraphs(int maxBatch, int maxContext) {
    List<Integer> b = new ArrayList<>();
    for (int s : new int[] {1, 2, 4, 8}) if (s < maxBatch) b.add(s);
    for (int s = 16; s < maxBatch; s += s < 64 ? 8 : s < 128 ? 16 : 32) b.add(s);
    b.add(maxBatch);
    this.buckets = b.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    this.maxContext = maxContext;
  }

  public int[] buckets() {
    return buckets.clone();
  }

  public int maxBatch() {
    return buckets[buckets.length - 1];
  }

  public int maxContext() {
    return maxContext;
  }

  /** The bucket a graph step of {@code batch} sequences runs at, or -1 when it is too large. */
  public int bucketFor(int batch) {
    for (int b : buckets) if (b >= batch) return b;
    return -1;
  }

  /** Whether this step can replay a graph. */
  public boolean eligible(ForwardBatch batch) {
    List<SequenceSlice> slices = batch.slices();
    if (slices.isEmpty() || bucketFor(slices.size()) < 0) return false;
    for (SequenceSlice s : slices) {
      if (s.tokenIds().length != 1 || !s.sample() || s.promptLogprobs()) return false;
      if (s.endPosition() > maxContext) return false;
    }
    return true;
  }

  /** The bucket's graph, captured by {@code capture} the first time it is asked for. */
  public long graph(int bucket, IntToLongFunction capture) {
    return graphs.computeIfAbsent(bucket, capture::applyAsLong);
  }

  public int captured() {
    return graphs.size();
  }

  /** Every captured graph, for destruction. */
  public List<Long> all() {
    return List.copyOf(graphs.values());
  }

  public void clear() {
    graphs.clear();
  }
}

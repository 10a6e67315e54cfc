package dev.barista.engine.runner;

import java.util.List;

/** One engine step's work: slices of different sequences, computed together. */
public record ForwardBatch(List<SequenceSlice> slices) {
  public ForwardBatch {
    slices = List.copyOf(slices);
  }

  public int numTokens() {
    int n = 0;
    for (SequenceSlice s : slices) n += s.tokenIds().length;
    return n;
  }
}

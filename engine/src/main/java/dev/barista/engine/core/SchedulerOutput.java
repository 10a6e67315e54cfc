package dev.barista.engine.core;

import java.util.List;

/**
 * What one step computes, in batch order, and which requests were preempted to make room.
 */
public record SchedulerOutput(List<ScheduledSlice> slices, List<EngineRequest> preempted) {
  public boolean isEmpty() {
    return slices.isEmpty();
  }

  public int numTokens() {
    int n = 0;
    for (ScheduledSlice s : slices) n += s.numTokens();
    return n;
  }
}

package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecodeGraphsTest {
  static SequenceSlice decode(int pos) {
    var st = SequenceSamplingState.create(SamplingParams.defaults(), new int[] {1}, List.of(), 10);
    return new SequenceSlice(st, new int[] {1}, pos, new int[] {0, 1, 2, 3}, true, false);
  }

  @Test
  void bucketsCoverEveryBatchUpToTheMaximum() {
    DecodeGraphs g = new DecodeGraphs(100, 4096);
    assertArrayEquals(new int[] {1, 2, 4, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 100}, g.buckets());
    assertEquals(1, g.bucketFor(1));
    assertEquals(4, g.bucketFor(3));
    assertEquals(80, g.bucketFor(65));
    assertEquals(100, g.bucketFor(100));
    assertEquals(-1, g.bucketFor(101));
    assertArrayEquals(new int[] {1}, new DecodeGraphs(1, 64).buckets());
  }

  @Test
  void onlySingleTokenSampledStepsWithinTheContextReplay() {
    DecodeGraphs g = new DecodeGraphs(8, 64);
    assertTrue(g.eligible(new ForwardBatch(List.of(decode(10), decode(63)))));
    assertFalse(g.eligible(new ForwardBatch(List.of(decode(64)))), "context 65 exceeds 64");
    var st = SequenceSamplingState.create(SamplingParams.defaults(), new int[] {1, 2}, List.of(), 10);
    assertFalse(g.eligible(new ForwardBatch(List.of(new SequenceSlice(st, new int[] {1, 2}, 0, new int[] {0}, true, false)))));
    assertFalse(g.eligible(new ForwardBatch(List.of(new SequenceSlice(st, new int[] {1}, 0, new int[] {0}, false, false)))));
    assertFalse(g.eligible(new ForwardBatch(List.of(new SequenceSlice(st, new int[] {1}, 0, new int[] {0}, true, true)))));
    List<SequenceSlice> nine = new ArrayList<>();
    for (int i = 0; i < 9; i++) nine.add(decode(1));
    assertFalse(g.eligible(new ForwardBatch(nine)), "more sequences than the largest bucket");
    assertFalse(g.eligible(new ForwardBatch(List.of())));
  }

  @Test
  void eachBucketIsCapturedOnceAndDroppedOnClear() {
    DecodeGraphs g = new DecodeGraphs(8, 64);
    AtomicInteger captures = new AtomicInteger();
    long first = g.graph(4, b -> 1000 + b + captures.incrementAndGet());
    long again = g.graph(4, b -> -1);
    assertEquals(first, again);
    g.graph(8, b -> 2000 + captures.incrementAndGet());
    assertEquals(2, captures.get());
    assertEquals(2, g.captured());
    assertEquals(2, g.all().size());
    g.clear();
    assertEquals(0, g.captured());
  }
}

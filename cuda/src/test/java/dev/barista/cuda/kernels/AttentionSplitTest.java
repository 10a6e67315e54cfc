package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionSplitTest {
  @Test
  void singleDecodeTokenOverALongContextIsSplitToFillTheGpu() {
    AttentionSplit s = AttentionSplit.plan(4096, 1, 8, 528, 64);
    // 528 blocks wanted / 8 kv heads = 66 splits, capped by the buffers at 64
    assertEquals(64, s.splits());
    assertEquals(64, s.partition());
  }

  @Test
  void everyKeyIsCoveredExactlyOnceAndNoSplitIsEmpty() {
    for (int ctx : new int[] {1, 15, 16, 17, 640, 999, 4097, 40960}) {
      for (int tokens : new int[] {1, 3, 64, 512}) {
        AttentionSplit s = AttentionSplit.plan(ctx, tokens, 8, 528, 32);
        assertTrue((long) s.splits() * s.partition() >= ctx, "covers " + ctx);
        assertTrue((long) (s.splits() - 1) * s.partition() < ctx, "no empty split at " + ctx);
        assertEquals(0, s.partition() % 16);
        assertTrue(s.splits() >= 1 && s.splits() <= 32);
      }
    }
  }

  @Test
  void manyTokensNeedNoSplit() {
    AttentionSplit s = AttentionSplit.plan(512, 512, 8, 528, 64);
    assertEquals(1, s.splits());
    assertEquals(512, s.partition());
  }

  @Test
  void shortContextsAreNotSplitBelowTheMinimumPartition() {
    AttentionSplit s = AttentionSplit.plan(100, 1, 2, 528, 64);
    assertEquals(2, s.splits());
    assertTrue(s.partition() >= AttentionSplit.MIN_PARTITION);
  }

  @Test
  void rejectsEmptyShapes() {
    assertThrows(IllegalArgumentException.class, () -> AttentionSplit.plan(0, 1, 8, 528, 64));
  }
}

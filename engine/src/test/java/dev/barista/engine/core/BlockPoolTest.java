package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPoolTest {

  @Test
  void handsOutLeastRecentlyFreedBlocksFirst() {
    BlockPool pool = new BlockPool(4, true);
    List<KvBlock> all = pool.allocate(4);
    assertEquals(0, pool.numFreeBlocks());
    pool.release(List.of(all.get(2), all.get(0)));
    pool.release(List.of(all.get(3)));
    assertEquals(List.of(2, 0, 3), ids(pool.allocate(3)));
  }

  @Test
  void countsReferencesAndRejectsDoubleRelease() {
    BlockPool pool = new BlockPool(2, true);
    KvBlock b = pool.allocate(1).getFirst();
    pool.touch(List.of(b));
    assertEquals(2, b.refCount());
    pool.release(List.of(b));
    assertEquals(1, pool.numFreeBlocks(), "still referenced once");
    pool.release(List.of(b));
    assertEquals(2, pool.numFreeBlocks());
    assertThrows(IllegalStateException.class, () -> pool.release(List.of(b)));
  }

  @Test
  void freeCachedBlockCanBeTakenBackUntilItIsEvicted() {
    BlockPool pool = new BlockPool(2, true);
    BlockHash h = BlockHash.of(null, new int[] {1, 2, 3, 4}, 0, 4);
    KvBlock a = pool.allocate(1).getFirst();
    pool.cache(a, h);
    pool.release(List.of(a));
    assertSame(a, pool.lookup(h));
    pool.touch(List.of(a));
    assertEquals(1, pool.numFreeBlocks(), "a hit leaves the free queue");
    pool.release(List.of(a));
    pool.allocate(1); // the other block: least recently freed
    assertSame(a, pool.lookup(h));
    pool.allocate(1); // now a is reused for something else
    assertNull(pool.lookup(h));
    assertEquals(0, pool.numCachedBlocks());
  }

  @Test
  void withoutPrefixCachingNothingIsFound() {
    BlockPool pool = new BlockPool(2, false);
    BlockHash h = BlockHash.of(null, new int[] {7}, 0, 1);
    pool.cache(pool.allocate(1).getFirst(), h);
    assertNull(pool.lookup(h));
  }

  @Test
  void hashesChainThroughParents() {
    int[] tokens = {1, 2, 3, 4};
    BlockHash a = BlockHash.of(null, tokens, 2, 2);
    BlockHash b = BlockHash.of(BlockHash.of(null, tokens, 0, 2), tokens, 2, 2);
    assertNotEquals(a, b, "same tokens after a different prefix");
    assertEquals(b, BlockHash.of(BlockHash.of(null, new int[] {1, 2}, 0, 2), new int[] {3, 4}, 0, 2));
  }

  private static List<Integer> ids(List<KvBlock> blocks) {
    return blocks.stream().map(KvBlock::id).toList();
  }
}

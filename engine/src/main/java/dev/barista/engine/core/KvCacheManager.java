package dev.barista.engine.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Gives requests KV blocks from the {@link BlockPool}: finds the longest cached prefix at
 * admission, allocates slots for the tokens each step computes, and registers full blocks in the
 * prefix cache once their KV has been written.
 */
public final class KvCacheManager {
  private final BlockPool pool;
  private final int blockSize;

  public KvCacheManager(BlockPool pool, int blockSize) {
    if (blockSize < 1) throw new IllegalArgumentException("block_size must be at least 1");
    this.pool = pool;
    this.blockSize = blockSize;
  }

  public BlockPool pool() {
    return pool;
  }

  public int blockSize() {
    return blockSize;
  }

  /**
   * The cached blocks that start the request's tokens, longest run first found. At least the last
   * token is always left to compute: its logits are needed to sample.
   */
  List<KvBlock> findCachedPrefix(EngineRequest r) {
    if (!pool.prefixCaching() || r.params.promptLogprobs() != null) return List.of();
    updateBlockHashes(r);
    int maxBlocks = (r.numTokens() - 1) / blockSize;
    List<KvBlock> hits = new ArrayList<>();
    for (int i = 0; i < maxBlocks; i++) {
      KvBlock block = pool.lookup(r.blockHashes.get(i));
      if (block == null) break;
      hits.add(block);
    }
    return hits;
  }

  /**
   * Makes room for {@code numNewTokens} more tokens after the computed ones (and after {@code
   * hits}, the cached prefix taken at admission). Returns false, changing nothing, when the pool
   * has too few free blocks.
   */
  boolean allocateSlots(EngineRequest r, int numNewTokens, List<KvBlock> hits) {
    int totalTokens = r.numComputedTokens + hits.size() * blockSize + numNewTokens;
    int needed = ceilDiv(totalTokens, blockSize) - r.blocks.size() - hits.size();
    int hitsLeavingFreeQueue = 0;
    for (KvBlock b : hits) if (b.refCount == 0) hitsLeavingFreeQueue++;
    if (Math.max(needed, 0) + hitsLeavingFreeQueue > pool.numFreeBlocks()) return false;
    if (!hits.isEmpty()) {
      pool.touch(hits);
      r.blocks.addAll(hits);
      r.numCachedBlocks = r.blocks.size();
    }
    if (needed > 0) r.blocks.addAll(pool.allocate(needed));
    return true;
  }

  /** Registers the request's full, computed blocks in the prefix cache. */
  void cacheComputedBlocks(EngineRequest r) {
    if (!pool.prefixCaching()) return;
    int full = Math.min(r.numComputedTokens, r.numTokens()) / blockSize;
    if (full <= r.numCachedBlocks) return;
    updateBlockHashes(r);
    for (int i = r.numCachedBlocks; i < full; i++) pool.cache(r.blocks.get(i), r.blockHashes.get(i));
    r.numCachedBlocks = full;
  }

  /** Returns all the request's blocks to the pool, its tail first so that it is evicted first. */
  void free(EngineRequest r) {
    pool.release(r.blocks.reversed());
    r.blocks.clear();
    r.numCachedBlocks = 0;
  }

  /** Blocks one sequence of {@code numTokens} tokens needs. */
  public int blocksFor(int numTokens) {
    return ceilDiv(numTokens, blockSize);
  }

  private void updateBlockHashes(EngineRequest r) {
    int full = r.numTokens() / blockSize;
    int[] ids = r.tokens.raw();
    for (int i = r.blockHashes.size(); i < full; i++) {
      BlockHash parent = i == 0 ? null : r.blockHashes.get(i - 1);
      r.blockHashes.add(BlockHash.of(parent, ids, i * blockSize, blockSize));
    }
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}

package dev.barista.engine.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All physical KV blocks with their reference counts. A block whose count drops to zero goes to
 * the tail of the free queue but keeps its cached contents until it is handed out again, so a
 * later request with the same prefix can take it back: free blocks double as an LRU prefix cache.
 */
public final class BlockPool {
  private final KvBlock[] blocks;
  private final FreeBlockQueue freeQueue = new FreeBlockQueue();
  private final Map<BlockHash, KvBlock> cached = new HashMap<>();
  private final boolean prefixCaching;

  public BlockPool(int numBlocks, boolean prefixCaching) {
    if (numBlocks < 1) throw new IllegalArgumentException("numBlocks must be at least 1");
    this.prefixCaching = prefixCaching;
    blocks = new KvBlock[numBlocks];
    for (int i = 0; i < numBlocks; i++) {
      blocks[i] = new KvBlock(i);
      freeQueue.append(blocks[i]);
    }
  }

  public int numBlocks() {
    return blocks.length;
  }

  public int numFreeBlocks() {
    return freeQueue.size();
  }

  public boolean prefixCaching() {
    return prefixCaching;
  }

  /** Fraction of blocks in use (referenced by a request), as vLLM's kv_cache_usage_perc. */
  public double usage() {
    return 1.0 - (double) freeQueue.size() / blocks.length;
  }

  /** Takes {@code n} free blocks, least recently used first, evicting their cached contents. */
  public List<KvBlock> allocate(int n) {
    if (n > freeQueue.size()) {
      throw new IllegalStateException("asked for " + n + " KV blocks, " + freeQueue.size() + " free");
    }
    List<KvBlock> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      KvBlock block = freeQueue.popFirst();
      evict(block);
      block.refCount = 1;
      out.add(block);
    }
    return out;
  }

  /** The block caching {@code hash}, or null. */
  public KvBlock lookup(BlockHash hash) {
    return prefixCaching ? cached.get(hash) : null;
  }

  /** Takes a reference on blocks found in the cache, taking free ones out of the free queue. */
  public void touch(List<KvBlock> hits) {
    for (KvBlock block : hits) {
      if (block.refCount == 0) freeQueue.remove(block);
      block.refCount++;
    }
  }

  /**
   * Drops one reference from each block. Callers pass a request's blocks last-first so that its
   * tail (least likely to be shared) is evicted before its head.
   */
  public void release(List<KvBlock> blocksInEvictionOrder) {
    for (KvBlock block : blocksInEvictionOrder) {
      if (block.refCount <= 0) throw new IllegalStateException(block + " released twice");
      if (--block.refCount == 0) freeQueue.append(block);
    }
  }

  /**
   * Registers a full, computed block under its hash. When another block already caches the same
   * contents (both computed in the same step), the first one stays the cached copy.
   */
  public void cache(KvBlock block, BlockHash hash) {
    if (!prefixCaching || block.hash != null) return;
    if (cached.putIfAbsent(hash, block) == null) block.hash = hash;
  }

  /** Forgets every cached block (for tests and resets); blocks in use keep their contents. */
  public void resetPrefixCache() {
    for (KvBlock b : cached.values()) b.hash = null;
    cached.clear();
  }

  public int numCachedBlocks() {
    return cached.size();
  }

  private void evict(KvBlock block) {
    if (block.hash != null) {
      cached.remove(block.hash, block);
      block.hash = null;
    }
  }
}

package dev.barista.engine.core;

/**
 * One physical block of the paged KV cache: {@code blockSize} token slots in every layer. Mutable
 * bookkeeping owned by {@link BlockPool}; links make it a node of the {@link FreeBlockQueue}.
 */
public final class KvBlock {
  final int id;
  int refCount;
  /** Set while the block holds a full, computed block registered in the prefix cache. */
  BlockHash hash;
  KvBlock prevFree;
  KvBlock nextFree;
  boolean inFreeQueue;

  KvBlock(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public int refCount() {
    return refCount;
  }

  public BlockHash hash() {
    return hash;
  }

  @Override
  public String toString() {
    return "KvBlock[" + id + ", ref=" + refCount + (hash != null ? ", cached" : "") + "]";
  }
}

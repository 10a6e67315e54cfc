package dev.barista.engine.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Keys and values of every layer in f32, off-heap, in fixed-size blocks: block b, slot s of a
 * layer holds one token's [kvHeads * headDim] keys at element ((b * blockSize) + s) * kvDim. A
 * sequence's block table maps its positions to blocks, so sequences share one pool.
 */
final class PagedKvCache implements AutoCloseable {
  private final Arena arena = Arena.ofShared();
  private final MemorySegment[] keys;
  private final MemorySegment[] values;
  private final int numBlocks;
  private final int blockSize;
  private final int kvDim;

  PagedKvCache(int layers, int numBlocks, int blockSize, int kvDim) {
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.kvDim = kvDim;
    keys = new MemorySegment[layers];
    values = new MemorySegment[layers];
    long bytes = (long) numBlocks * blockSize * kvDim * Float.BYTES;
    for (int l = 0; l < layers; l++) {
      keys[l] = arena.allocate(bytes, 64);
      values[l] = arena.allocate(bytes, 64);
    }
  }

  static long bytesPerBlock(int layers, int blockSize, int kvDim) {
    return 2L * layers * blockSize * kvDim * Float.BYTES;
  }

  int blockSize() {
    return blockSize;
  }

  MemorySegment keys(int layer) {
    return keys[layer];
  }

  MemorySegment values(int layer) {
    return values[layer];
  }

  /** Byte offset of the slot holding {@code position} of a sequence with {@code blockTable}. */
  long offset(int[] blockTable, int position) {
    int index = position / blockSize;
    if (index >= blockTable.length) {
      throw new IllegalArgumentException("block table of " + blockTable.length
          + " blocks does not cover position " + position);
    }
    int block = blockTable[index];
    if (block < 0 || block >= numBlocks) {
      throw new IllegalArgumentException("block id " + block + " outside [0, " + numBlocks + ")");
    }
    return ((long) block * blockSize + position % blockSize) * kvDim * Float.BYTES;
  }

  /** Stores one token's keys and values (kvDim floats each, from the given array offsets). */
  void write(int layer, long offset, float[] k, int kOff, float[] v, int vOff) {
    MemorySegment.copy(k, kOff, keys[layer], ValueLayout.JAVA_FLOAT, offset, kvDim);
    MemorySegment.copy(v, vOff, values[layer], ValueLayout.JAVA_FLOAT, offset, kvDim);
  }

  void copyBlock(int src, int dst) {
    long bytes = (long) blockSize * kvDim * Float.BYTES;
    for (int l = 0; l < keys.length; l++) {
      MemorySegment.copy(keys[l], src * bytes, keys[l], dst * bytes, bytes);
      MemorySegment.copy(values[l], src * bytes, values[l], dst * bytes, bytes);
    }
  }

  @Override
  public void close() {
    arena.close();
  }
}

package dev.barista.engine.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Keys and values of every layer in f32, off-heap, in fixed-size blocks: slot s of block b holds one
 * token's [keyDim] keys at element ((b * blockSize) + s) * keyDim of the layer's keys and its
 * [valueDim] values at ((b * blockSize) + s) * valueDim of its values. The widths differ only where
 * value heads are narrower than key heads (DeepSeek's latent attention, whose expanded per-head keys
 * and values are stored here as multi-head attention's). A sequence's block table maps its positions
 * to blocks, so sequences share one pool.
 */
final class PagedKvCache implements AutoCloseable {
  private final Arena arena = Arena.ofShared();
  private final MemorySegment[] keys;
  private final MemorySegment[] values;
  private final int numBlocks;
  private final int blockSize;
  private final int keyDim;
  private final int valueDim;

  PagedKvCache(int layers, int numBlocks, int blockSize, int keyDim, int valueDim) {
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.keyDim = keyDim;
    this.valueDim = valueDim;
    keys = new MemorySegment[layers];
    values = new MemorySegment[layers];
    long slots = (long) numBlocks * blockSize;
    for (int l = 0; l < layers; l++) {
      keys[l] = arena.allocate(slots * keyDim * Float.BYTES, 64);
      values[l] = arena.allocate(slots * valueDim * Float.BYTES, 64);
    }
  }

  static long bytesPerBlock(int layers, int blockSize, int keyDim, int valueDim) {
    return (long) layers * blockSize * (keyDim + valueDim) * Float.BYTES;
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

  /** The slot holding {@code position} of a sequence with {@code blockTable}. */
  long slot(int[] blockTable, int position) {
    int index = position / blockSize;
    if (index >= blockTable.length) {
      throw new IllegalArgumentException("block table of " + blockTable.length
          + " blocks does not cover position " + position);
    }
    int block = blockTable[index];
    if (block < 0 || block >= numBlocks) {
      throw new IllegalArgumentException("block id " + block + " outside [0, " + numBlocks + ")");
    }
    return (long) block * blockSize + position % blockSize;
  }

  /** Byte offset of a slot's keys in {@link #keys}. */
  long keyOffset(long slot) {
    return slot * keyDim * Float.BYTES;
  }

  /** Byte offset of a slot's values in {@link #values}. */
  long valueOffset(long slot) {
    return slot * valueDim * Float.BYTES;
  }

  /** Stores one token's keys (keyDim floats) and values (valueDim floats) from the given array offsets. */
  void write(int layer, long slot, float[] k, int kOff, float[] v, int vOff) {
    MemorySegment.copy(k, kOff, keys[layer], ValueLayout.JAVA_FLOAT, keyOffset(slot), keyDim);
    MemorySegment.copy(v, vOff, values[layer], ValueLayout.JAVA_FLOAT, valueOffset(slot), valueDim);
  }

  void copyBlock(int src, int dst) {
    long keyBytes = (long) blockSize * keyDim * Float.BYTES;
    long valueBytes = (long) blockSize * valueDim * Float.BYTES;
    for (int l = 0; l < keys.length; l++) {
      MemorySegment.copy(keys[l], src * keyBytes, keys[l], dst * keyBytes, keyBytes);
      MemorySegment.copy(values[l], src * valueBytes, values[l], dst * valueBytes, valueBytes);
    }
  }

  @Override
  public void close() {
    arena.close();
  }
}

package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;

/**
 * The paged KV cache in device memory: per layer, keys and values of {@code numBlocks} blocks of
 * {@code blockSize} token slots, each slot {@code kvHeads * headDim} bf16 (or, in the f32 math mode,
 * f32) values ([slot, head, dim]).
 */
public final class DeviceKvCache implements AutoCloseable {
  private final CudaDriver d;
  private final long[] keys;
  private final long[] values;
  private final int numBlocks;
  private final int blockSize;
  private final long blockBytes;

  public DeviceKvCache(CudaDriver d, int layers, int numBlocks, int blockSize, int kvHeads, int headDim, long stream) {
    this(d, layers, numBlocks, blockSize, kvHeads, headDim, 2, stream);
  }

  /** @param elementBytes 2 for bf16, 4 for f32 */
  public DeviceKvCache(CudaDriver d, int layers, int numBlocks, int blockSize, int kvHeads, int headDim,
      int elementBytes, long stream) {
    this.d = d;
    this.numBlocks = numBlocks;
    this.blockSize = blockSize;
    this.blockBytes = bytesPerBlockPerLayer(blockSize, kvHeads, headDim, elementBytes) / 2;
    keys = new long[layers];
    values = new long[layers];
    long layerBytes = blockBytes * numBlocks;
    for (int l = 0; l < layers; l++) {
      keys[l] = d.malloc(layerBytes);
      values[l] = d.malloc(layerBytes);
      // zeros, so that reads of never-written slots (padding rows) stay finite
      d.memsetAsync(keys[l], (byte) 0, layerBytes, stream);
      d.memsetAsync(values[l], (byte) 0, layerBytes, stream);
    }
  }

  /** Keys and values of one block in one layer, bf16. */
  public static long bytesPerBlockPerLayer(int blockSize, int kvHeads, int headDim) {
    return bytesPerBlockPerLayer(blockSize, kvHeads, headDim, 2);
  }

  /** Keys and values of one block in one layer, of {@code elementBytes} per value. */
  public static long bytesPerBlockPerLayer(int blockSize, int kvHeads, int headDim, int elementBytes) {
    return 2L * elementBytes * blockSize * kvHeads * headDim;
  }

  public long keys(int layer) {
    return keys[layer];
  }

  public long values(int layer) {
    return values[layer];
  }

  public int numBlocks() {
    return numBlocks;
  }

  public int blockSize() {
    return blockSize;
  }

  /** Copies block {@code src} to {@code dst} in every layer (copy-on-write). */
  public void copyBlock(int src, int dst, long stream) {
    if (src < 0 || dst < 0 || src >= numBlocks || dst >= numBlocks) {
      throw new IllegalArgumentException("block " + src + " -> " + dst + " outside 0.." + (numBlocks - 1));
    }
    for (int l = 0; l < keys.length; l++) {
      d.copyDeviceAsync(keys[l] + dst * blockBytes, keys[l] + src * blockBytes, blockBytes, stream);
      d.copyDeviceAsync(values[l] + dst * blockBytes, values[l] + src * blockBytes, blockBytes, stream);
    }
  }

  @Override
  public void close() {
    for (int l = 0; l < keys.length; l++) {
      if (keys[l] != 0) d.free(keys[l]);
      if (values[l] != 0) d.free(values[l]);
      keys[l] = values[l] = 0;
    }
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.InvalidParameterException;

/**
 * How many KV blocks to allocate: --kv-cache-memory bytes when given, otherwise a fraction of the
 * memory available to the backend. Fails at start-up, saying what it would take, when not even one
 * request of max_model_len fits.
 */
public final class KvCacheSizing {
  /** vLLM's CPU backend reserves 4 GiB for the KV cache by default; we never take more unasked. */
  static final long CPU_DEFAULT_CAP = 4L << 30;

  private KvCacheSizing() {}

  /**
   * @param explicitBytes --kv-cache-memory, or null
   * @param deviceBudget the runner's own budget ({@code ModelRunner.kvCacheMemoryBudget}), or -1
   *     for a host-memory backend
   * @param hostFreeBytes free host memory, used for host-memory backends
   */
  public static int numBlocks(long bytesPerBlock, int blockSize, int maxModelLen, int maxNumSeqs,
      Long explicitBytes, double utilization, long deviceBudget, long hostFreeBytes) {
    int perRequest = (maxModelLen + blockSize - 1) / blockSize;
    long budget = explicitBytes != null ? explicitBytes
        : deviceBudget >= 0 ? deviceBudget
        : (long) Math.min(utilization * hostFreeBytes, CPU_DEFAULT_CAP);
    long blocks = budget / bytesPerBlock;
    if (blocks < perRequest) {
      throw new InvalidParameterException("kv_cache_memory", String.format(
          "the KV cache (%s) holds %d tokens, but one request of max_model_len %d needs %s"
              + " (%d blocks of %d tokens at %d bytes each); raise --kv-cache-memory or lower"
              + " --max-model-len",
          bytes(budget), blocks * blockSize, maxModelLen, bytes(perRequest * bytesPerBlock),
          perRequest, blockSize, bytesPerBlock));
    }
    if (explicitBytes == null && deviceBudget < 0) {
      // without an explicit size, no more than the running requests could ever fill
      blocks = Math.min(blocks, (long) perRequest * maxNumSeqs);
    }
    return (int) Math.min(blocks, Integer.MAX_VALUE);
  }

  /** Free physical memory of this machine (the CPU backend keeps its KV cache off-heap). */
  public static long availableCpuMemory() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getFreeMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  static String bytes(long b) {
    if (b >= 1L << 30) return String.format("%.2f GiB (%d bytes)", b / (double) (1L << 30), b);
    if (b >= 1L << 20) return String.format("%.1f MiB (%d bytes)", b / (double) (1L << 20), b);
    return b + " bytes";
  }
}

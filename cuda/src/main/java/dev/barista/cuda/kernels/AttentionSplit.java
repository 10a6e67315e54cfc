package dev.barista.cuda.kernels;

/**
 * How paged attention divides each token's keys among thread blocks (flash-decoding): few query
 * tokens over long contexts need several splits per token to fill the GPU; many tokens need none.
 *
 * @param splits blocks per (token, kv head); 1 writes the output directly, skipping the merge
 * @param partition keys per split
 */
public record AttentionSplit(int splits, int partition) {
  /** Fewest keys a split gets: below this the merge costs more than the parallelism gains. */
  static final int MIN_PARTITION = 64;

  /**
   * @param maxContext the longest context (keys) any token of the launch attends to
   * @param tokens query tokens in the launch
   * @param kvHeads key/value heads (blocks per token and split)
   * @param targetBlocks blocks that fill the GPU (a few per multiprocessor)
   * @param maxSplits splits the partial-result buffers hold per (token, head)
   */
  public static AttentionSplit plan(int maxContext, int tokens, int kvHeads, int targetBlocks, int maxSplits) {
    if (maxContext < 1 || tokens < 1 || kvHeads < 1 || maxSplits < 1) {
      throw new IllegalArgumentException(
          "bad attention shape: context " + maxContext + ", tokens " + tokens + ", kv heads " + kvHeads);
    }
    int byWork = ceilDiv(targetBlocks, tokens * kvHeads);
    int byLength = ceilDiv(maxContext, MIN_PARTITION);
    int splits = Math.max(1, Math.min(Math.min(byWork, byLength), maxSplits));
    int partition = ceilDiv(maxContext, splits);
    partition = ceilDiv(partition, 16) * 16; // whole rounds of the 4 warps' strides
    splits = ceilDiv(maxContext, partition);
    return new AttentionSplit(splits, partition);
  }

  static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }
}

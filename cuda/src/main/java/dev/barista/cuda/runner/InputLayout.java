package dev.barista.cuda.runner;

/**
 * Where each per-step input sits in the one int buffer copied to the device each step: token ids,
 * positions, cache slots, each token's sequence row, the rows to compute logits for,
 * {@link DeviceSampling#WORDS} sampling words per logits row, then the block tables ({@code seqCap} rows of {@code stride}).
 * Capacities are the padded sizes: exact counts in eager steps, the graph's sizes in graph steps
 * (whose kernels were captured with these offsets).
 */
public record InputLayout(int tokenCap, int rowCap, int seqCap, int stride) {
  public int ids() {
    return 0;
  }

  /**
   * How many of each token's newest keys this step writes before attention reads them: 1 where
   * every sequence brings one token (a decode step, or a decode graph's bucket), else any number.
   */
  public int freshKeys() {
    return tokenCap == seqCap ? 1 : Integer.MAX_VALUE;
  }

  public int positions() {
    return tokenCap;
  }

  public int slots() {
    return 2 * tokenCap;
  }

  public int tokenSeq() {
    return 3 * tokenCap;
  }

  public int logitRows() {
    return 4 * tokenCap;
  }

  public int sampling() {
    return 4 * tokenCap + rowCap;
  }

  public int blockTables() {
    return 4 * tokenCap + (1 + DeviceSampling.WORDS) * rowCap;
  }

  /** Ints in the whole buffer. */
  public int size() {
    return blockTables() + seqCap * stride;
  }
}

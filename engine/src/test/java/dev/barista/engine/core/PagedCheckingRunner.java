package dev.barista.engine.core;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in model for scheduler tests: its "KV cache" stores the token id written at each slot,
 * and the next token is a hash of the whole context read back through the block table. Any wrong
 * block table, lost block or block shared by mistake changes the outputs or trips a check, so
 * batched outputs equal solo outputs only if the paging is right.
 */
final class PagedCheckingRunner implements ModelRunner {
  final int vocab;
  int[][] slots;
  int blockSize;
  long computedTokens;
  int maxBatchTokens;
  int maxBatchSeqs;
  /**
   * When set, each step first takes a permit: a test can hold the engine between steps (this
   * runner is otherwise so fast that a request of 1000 tokens ends before an abort arrives).
   */
  volatile java.util.concurrent.Semaphore stepGate;

  PagedCheckingRunner(int vocab) {
    this.vocab = vocab;
  }

  @Override
  public ModelConfig config() {
    return null;
  }

  @Override
  public long kvCacheBytesPerBlock(int blockSize) {
    return 64L * blockSize;
  }

  @Override
  public void allocateKvCache(int numBlocks, int blockSize) {
    this.blockSize = blockSize;
    slots = new int[numBlocks][blockSize];
    for (int[] b : slots) Arrays.fill(b, -1);
  }

  @Override
  public StepResult execute(ForwardBatch batch) {
    java.util.concurrent.Semaphore gate = stepGate;
    if (gate != null) gate.acquireUninterruptibly();
    maxBatchTokens = Math.max(maxBatchTokens, batch.numTokens());
    maxBatchSeqs = Math.max(maxBatchSeqs, batch.slices().size());
    List<StepResult.SliceResult> out = new ArrayList<>();
    for (SequenceSlice s : batch.slices()) {
      if (s.blockTable().length * blockSize < s.endPosition()) {
        throw new AssertionError("block table too short for position " + (s.endPosition() - 1));
      }
      long h = 17;
      for (int p = 0; p < s.startPosition(); p++) {
        int t = slot(s, p);
        if (t < 0) throw new AssertionError("no KV at position " + p);
        h = h * 31 + t;
      }
      for (int i = 0; i < s.tokenIds().length; i++) {
        int p = s.startPosition() + i;
        int[] block = slots[s.blockTable()[p / blockSize]];
        block[p % blockSize] = s.tokenIds()[i];
        h = h * 31 + s.tokenIds()[i];
      }
      computedTokens += s.tokenIds().length;
      int next = s.sample() ? (int) Math.floorMod(h ^ (h >>> 29), (long) vocab) : -1;
      out.add(new StepResult.SliceResult(next, null, List.of()));
    }
    return new StepResult(out);
  }

  private int slot(SequenceSlice s, int p) {
    return slots[s.blockTable()[p / blockSize]][p % blockSize];
  }

  @Override
  public void copyBlock(int src, int dst) {
    slots[dst] = slots[src].clone();
  }

  @Override
  public void close() {}
}

package dev.barista.cuda.runner;

import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import java.util.List;

/**
 * Flattens a {@link ForwardBatch} into the int arrays the kernels read (see {@link InputLayout}):
 * one row per token; per token its cache slot from the sequence's block table; the rows that need
 * logits (each slice's prompt-logprob positions, then its last position when it samples).
 * Padding up to the layout's capacities is inert: id 0 at position 0 of sequence row 0, no cache
 * write (slot -1), logits row 0.
 */
public final class StepInputs {
  private final int[] buffer;
  private final InputLayout layout;
  private final int tokens;
  private final int rows;
  private final int maxContext;
  private final int[] rowBase; // first logits row of each slice, and the total at the end
  private final int[] promptRows;

  private StepInputs(int[] buffer, InputLayout layout, int tokens, int rows, int maxContext, int[] rowBase, int[] promptRows) {
    this.buffer = buffer;
    this.layout = layout;
    this.tokens = tokens;
    this.rows = rows;
    this.maxContext = maxContext;
    this.rowBase = rowBase;
    this.promptRows = promptRows;
  }

  /** Prompt positions of a slice that report a logprob: those with a next prompt token. */
  public static int promptLogprobRows(SequenceSlice s) {
    if (!s.promptLogprobs()) return 0;
    return Math.max(0, Math.min(s.endPosition(), s.sampling().promptLength() - 1) - s.startPosition());
  }

  /** The smallest exact layout for this batch, its block tables {@code stride} wide. */
  public static InputLayout exactLayout(ForwardBatch batch, int blockSize) {
    int rows = 0, stride = 1;
    for (SequenceSlice s : batch.slices()) {
      rows += promptLogprobRows(s) + (s.sample() ? 1 : 0);
      stride = Math.max(stride, (s.endPosition() + blockSize - 1) / blockSize);
    }
    return new InputLayout(batch.numTokens(), rows, batch.slices().size(), stride);
  }

  /**
   * Packs the batch. {@code sampling} writes each sampling row's {@link DeviceSampling#WORDS}
   * device-sampling words; null leaves them zero.
   */
  public static StepInputs pack(ForwardBatch batch, InputLayout layout, int blockSize, int vocabSize, SamplingFloats sampling) {
    List<SequenceSlice> slices = batch.slices();
    int[] b = new int[layout.size()];
    int n = slices.size();
    if (n > layout.seqCap()) throw new IllegalArgumentException(n + " sequences exceed the layout's " + layout.seqCap());
    int[] rowBase = new int[n + 1];
    int[] promptRows = new int[n];
    int t = 0, maxContext = 1;
    for (int s = 0; s < n; s++) {
      SequenceSlice slice = slices.get(s);
      int[] table = slice.blockTable();
      int blocksNeeded = (slice.endPosition() + blockSize - 1) / blockSize;
      if (table.length < blocksNeeded) {
        throw new IllegalArgumentException("block table of slice " + s + " covers " + table.length * blockSize
            + " positions, needs " + slice.endPosition());
      }
      if (blocksNeeded > layout.stride()) {
        throw new IllegalArgumentException("slice " + s + " needs " + blocksNeeded + " blocks, layout holds " + layout.stride());
      }
      System.arraycopy(table, 0, b, layout.blockTables() + s * layout.stride(), blocksNeeded);
      int[] ids = slice.tokenIds();
      if (t + ids.length > layout.tokenCap()) throw new IllegalArgumentException("tokens exceed the layout's " + layout.tokenCap());
      int firstToken = t;
      for (int i = 0; i < ids.length; i++, t++) {
        if (ids[i] < 0 || ids[i] >= vocabSize) {
          throw new IllegalArgumentException("token id " + ids[i] + " outside the vocabulary of " + vocabSize);
        }
        int pos = slice.startPosition() + i;
        b[layout.ids() + t] = ids[i];
        b[layout.positions() + t] = pos;
        b[layout.slots() + t] = table[pos / blockSize] * blockSize + pos % blockSize;
        b[layout.tokenSeq() + t] = s;
      }
      maxContext = Math.max(maxContext, slice.endPosition());
      promptRows[s] = promptLogprobRows(slice);
      int r = rowBase[s];
      for (int i = 0; i < promptRows[s]; i++) {
        if (sampling != null) sampling.writePromptRow(s, slice, i, b, layout.sampling() + DeviceSampling.WORDS * r);
        b[layout.logitRows() + r++] = firstToken + i;
      }
      if (slice.sample()) {
        if (r >= layout.rowCap()) throw new IllegalArgumentException("logits rows exceed the layout's " + layout.rowCap());
        b[layout.logitRows() + r] = t - 1;
        if (sampling != null) sampling.write(s, slice, b, layout.sampling() + DeviceSampling.WORDS * r);
        r++;
      }
      rowBase[s + 1] = r;
    }
    for (int p = t; p < layout.tokenCap(); p++) b[layout.slots() + p] = -1;
    return new StepInputs(b, layout, t, rowBase[n], maxContext, rowBase, promptRows);
  }

  /** Writes slice {@code s}'s sampling words at {@code offset} of the buffer. */
  public interface SamplingFloats {
    void write(int s, SequenceSlice slice, int[] buffer, int offset);

    /** The words of slice {@code s}'s prompt row {@code i} (a prompt logprob position): inert unless overridden. */
    default void writePromptRow(int s, SequenceSlice slice, int i, int[] buffer, int offset) {
      DeviceSampling.writeUnused(buffer, offset);
    }
  }

  public int[] buffer() {
    return buffer;
  }

  public InputLayout layout() {
    return layout;
  }

  /** Real tokens (before padding). */
  public int tokens() {
    return tokens;
  }

  /** Real logits rows (before padding). */
  public int rows() {
    return rows;
  }

  /** The longest context any token attends to (its position + 1). */
  public int maxContext() {
    return maxContext;
  }

  public int firstRow(int slice) {
    return rowBase[slice];
  }

  public int promptRows(int slice) {
    return promptRows[slice];
  }
}

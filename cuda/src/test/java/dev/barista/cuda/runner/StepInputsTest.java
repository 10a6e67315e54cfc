package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepInputsTest {
  static final int VOCAB = 100;

  static SequenceSamplingState state(int[] prompt, SamplingParams p) {
    return SequenceSamplingState.create(p, prompt, List.of(), VOCAB);
  }

  static int[] section(StepInputs in, int offset, int length) {
    return Arrays.copyOfRange(in.buffer(), offset, offset + length);
  }

  @Test
  void mixedPrefillChunkAndDecodeTokens() {
    SamplingParams greedy = SamplingParams.builder().temperature(0.0).build();
    int[] promptA = {5, 6, 7, 8, 9, 10};
    // A: a prefill chunk of positions 4..5 (block size 4: positions 4, 5 live in its 2nd block 9)
    SequenceSlice a = new SequenceSlice(state(promptA, greedy), new int[] {9, 10}, 4, new int[] {3, 9}, true, false);
    // B: one decode token at position 2, in block 7
    SequenceSlice b = new SequenceSlice(state(new int[] {1, 2}, greedy), new int[] {42}, 2, new int[] {7}, true, false);
    // C: a chunk that does not sample
    SequenceSlice c = new SequenceSlice(state(new int[] {1, 2, 3}, greedy), new int[] {1}, 0, new int[] {2}, false, false);
    ForwardBatch batch = new ForwardBatch(List.of(a, b, c));
    InputLayout lay = StepInputs.exactLayout(batch, 4);
    assertEquals(new InputLayout(4, 2, 3, 2), lay);
    assertEquals(Integer.MAX_VALUE, lay.freshKeys(), "A's chunk writes two keys that its second token reads");
    ForwardBatch decode = new ForwardBatch(List.of(b, c));
    assertEquals(1, StepInputs.exactLayout(decode, 4).freshKeys(), "one token a sequence: only its own key is new");
    StepInputs in = StepInputs.pack(batch, lay, 4, VOCAB, null);
    assertArrayEquals(new int[] {9, 10, 42, 1}, section(in, lay.ids(), 4));
    assertArrayEquals(new int[] {4, 5, 2, 0}, section(in, lay.positions(), 4));
    // slot = block * 4 + offset
    assertArrayEquals(new int[] {36, 37, 30, 8}, section(in, lay.slots(), 4));
    assertArrayEquals(new int[] {0, 0, 1, 2}, section(in, lay.tokenSeq(), 4));
    // logits rows: A's last token (1), B's token (2); C does not sample
    assertArrayEquals(new int[] {1, 2}, section(in, lay.logitRows(), 2));
    assertArrayEquals(new int[] {3, 9, 7, 0, 2, 0}, section(in, lay.blockTables(), 6));
    assertEquals(6, in.maxContext());
    assertEquals(2, in.rows());
    assertEquals(0, in.firstRow(0));
    assertEquals(1, in.firstRow(1));
    assertEquals(2, in.firstRow(2));
  }

  @Test
  void promptLogprobRowsComeBeforeTheSampleRow() {
    SamplingParams p = SamplingParams.builder().temperature(0.0).promptLogprobs(2).build();
    int[] prompt = {1, 2, 3, 4};
    // the whole prompt: positions 0..2 have a next prompt token, position 3 samples
    SequenceSlice s = new SequenceSlice(state(prompt, p), prompt, 0, new int[] {0}, true, true);
    ForwardBatch batch = new ForwardBatch(List.of(s));
    InputLayout lay = StepInputs.exactLayout(batch, 16);
    StepInputs in = StepInputs.pack(batch, lay, 16, VOCAB, null);
    assertEquals(3, in.promptRows(0));
    assertEquals(4, in.rows());
    assertArrayEquals(new int[] {0, 1, 2, 3}, section(in, lay.logitRows(), 4));
  }

  @Test
  void paddingIsInertAndSamplingFloatsAreWritten() {
    SamplingParams p = SamplingParams.builder().temperature(0.5).minP(0.1).seed(7L).build();
    SequenceSlice s = new SequenceSlice(state(new int[] {3}, p), new int[] {3}, 0, new int[] {5}, true, false);
    InputLayout lay = new InputLayout(4, 4, 4, 3);
    StepInputs in = StepInputs.pack(new ForwardBatch(List.of(s)), lay, 16, VOCAB,
        (i, slice, buf, off) -> DeviceSampling.write(slice.sampling(), 2, buf, off));
    assertArrayEquals(new int[] {80, -1, -1, -1}, section(in, lay.slots(), 4));
    assertArrayEquals(new int[] {3, 0, 0, 0}, section(in, lay.ids(), 4));
    assertArrayEquals(new int[] {0, 0, 0, 0}, section(in, lay.logitRows(), 4));
    int[] f = section(in, lay.sampling(), DeviceSampling.WORDS);
    assertEquals(2.0f, Float.intBitsToFloat(f[0]));
    assertEquals((float) Math.log(0.1), Float.intBitsToFloat(f[1]));
    assertEquals((float) s.sampling().nextUniform(), Float.intBitsToFloat(f[2]));
    assertEquals(2, f[5], "penalty slot");
    assertEquals(lay.sampling() + 4 * DeviceSampling.WORDS, lay.blockTables());
    assertEquals(lay.blockTables() + 12, lay.size());
  }

  @Test
  void promptRowsAskTheDeviceForTheNextPromptTokensLogprobs() {
    SamplingParams p = SamplingParams.builder().temperature(0.0).promptLogprobs(4).build();
    int[] prompt = {11, 12, 13};
    SequenceSlice s = new SequenceSlice(state(prompt, p), prompt, 0, new int[] {5}, true, true);
    ForwardBatch batch = new ForwardBatch(List.of(s));
    InputLayout lay = StepInputs.exactLayout(batch, 16);
    SamplingPlan plan = SamplingPlan.of(List.of(s), false, DeviceSampling.Mode.FULL, new PenaltySlots(1));
    StepInputs in = StepInputs.pack(batch, lay, 16, VOCAB, plan);
    assertEquals(3, in.rows(), "two prompt rows (positions with a next prompt token), then the sampling row");
    int w = DeviceSampling.WORDS;
    int[] f = section(in, lay.sampling(), 3 * w);
    assertEquals(4, f[16]);
    assertEquals(12, f[17], "row 0 reports token 12");
    assertEquals(4, f[w + 16]);
    assertEquals(13, f[w + 17], "row 1 reports token 13");
    assertEquals(-1, f[5], "prompt rows sample nothing");
    assertEquals(-1, f[2 * w + 16], "the sampling row asks for no logprobs");
    // kept logits (reference checks): the CPU computes them, the device row is inert
    SamplingPlan kept = SamplingPlan.of(List.of(s), true, DeviceSampling.Mode.FULL, new PenaltySlots(1));
    int[] g = section(StepInputs.pack(batch, lay, 16, VOCAB, kept), lay.sampling(), w);
    assertEquals(-1, g[16]);
  }

  @Test
  void rejectsTablesTooShortAndIdsOutsideTheVocabulary() {
    SamplingParams g = SamplingParams.builder().temperature(0.0).build();
    SequenceSlice shortTable = new SequenceSlice(state(new int[] {1}, g), new int[] {1, 2}, 15, new int[] {0}, true, false);
    ForwardBatch b1 = new ForwardBatch(List.of(shortTable));
    assertThrows(IllegalArgumentException.class, () -> StepInputs.pack(b1, new InputLayout(2, 1, 1, 4), 16, VOCAB, null));
    SequenceSlice badId = new SequenceSlice(state(new int[] {1}, g), new int[] {VOCAB}, 0, new int[] {0}, true, false);
    ForwardBatch b2 = new ForwardBatch(List.of(badId));
    assertThrows(IllegalArgumentException.class, () -> StepInputs.pack(b2, StepInputs.exactLayout(b2, 16), 16, VOCAB, null));
  }
}

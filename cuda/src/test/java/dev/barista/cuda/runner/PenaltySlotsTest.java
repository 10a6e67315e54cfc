package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PenaltySlotsTest {
  static final int F = PenaltySlots.PROMPT_FLAG;
  static final int VOCAB = 100;

  static SequenceSamplingState seq(int... prompt) {
    SamplingParams p = SamplingParams.builder().temperature(0.0).repetitionPenalty(1.2).build();
    return SequenceSamplingState.create(p, prompt, List.of(99), VOCAB);
  }

  /** Replays the updates into a dense table, as the penalty_update kernel does. */
  static void apply(PenaltySlots.Updates u, int[][] table) {
    for (int s : u.clearSlots()) java.util.Arrays.fill(table[s], 0);
    int[] t = u.triples();
    for (int j = 0; j < t.length; j += 3) table[t[j]][t[j + 1]] += t[j + 2];
  }

  /** What the counts must say: the prompt flag once per distinct prompt token, plus output counts. */
  static int[] expected(int[] prompt, int[] output) {
    int[] row = new int[VOCAB];
    for (int t : prompt) row[t] |= F;
    for (int t : output) row[t]++;
    return row;
  }

  @Test
  void firstStepSendsPromptOnceThenOnlyNewOutput() {
    PenaltySlots slots = new PenaltySlots(4);
    int[][] table = new int[4][VOCAB];
    SequenceSamplingState a = seq(5, 7, 5, 9);
    slots.beginStep();
    int s = slots.slotFor(a);
    PenaltySlots.Updates u = slots.updates();
    assertArrayEquals(new int[] {s}, u.clearSlots());
    assertEquals(3, u.count(), "distinct prompt tokens");
    apply(u, table);
    assertArrayEquals(expected(new int[] {5, 7, 5, 9}, new int[0]), table[s]);

    a.appendOutput(7);
    a.appendOutput(3);
    slots.beginStep();
    assertEquals(s, slots.slotFor(a));
    u = slots.updates();
    assertEquals(0, u.clearSlots().length);
    assertArrayEquals(new int[] {s, 7, 1, s, 3, 1}, u.triples());
    apply(u, table);
    a.appendOutput(7);
    slots.beginStep();
    slots.slotFor(a);
    u = slots.updates();
    assertEquals(1, u.count());
    apply(u, table);
    assertArrayEquals(expected(new int[] {5, 7, 5, 9}, new int[] {7, 3, 7}), table[s]);

    slots.beginStep();
    slots.slotFor(a);
    assertTrue(slots.updates().isEmpty(), "nothing new, nothing sent");
  }

  @Test
  void evictsTheLeastRecentlyUsedAndRebuildsOnReturn() {
    PenaltySlots slots = new PenaltySlots(2);
    int[][] table = new int[2][VOCAB];
    SequenceSamplingState a = seq(1), b = seq(2), c = seq(3);
    slots.beginStep();
    int sa = slots.slotFor(a);
    int sb = slots.slotFor(b);
    assertNotEquals(sa, sb);
    assertEquals(-1, slots.slotFor(c), "both slots serve this step: c goes to the CPU");
    apply(slots.updates(), table);

    slots.beginStep();
    assertEquals(sb, slots.slotFor(b));
    assertEquals(sa, slots.slotFor(c), "a was used least recently");
    apply(slots.updates(), table);
    assertArrayEquals(expected(new int[] {3}, new int[0]), table[sa], "the slot was cleared first");

    a.appendOutput(4);
    slots.beginStep();
    slots.slotFor(c);
    int back = slots.slotFor(a);
    assertEquals(sb, back, "b is now the oldest");
    apply(slots.updates(), table);
    assertArrayEquals(expected(new int[] {1}, new int[] {4}), table[back], "rebuilt from prompt and output");
    assertEquals(2, slots.assigned());
  }

  /** Replays the bias updates into dense rows, as bias_fill and bias_set do. */
  static void applyBias(PenaltySlots.Updates u, float[][] rows) {
    int[] f = u.biasFills(), t = u.biasSets();
    for (int j = 0; j < f.length; j += 2) java.util.Arrays.fill(rows[f[j]], Float.intBitsToFloat(f[j + 1]));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int j = 0; j < t.length; j += 3) {
      assertTrue(seen.add(((long) t[j] << 32) | t[j + 1]), "one set per (slot, token) in a step: the kernel's writes race");
      rows[t[j]][t[j + 1]] = Float.intBitsToFloat(t[j + 2]);
    }
  }

  @Test
  void biasRowsFollowTheCpuSamplersMasksAndBiasStepByStep() {
    SamplingParams p = SamplingParams.builder().temperature(0.0).allowedTokenIds(List.of(3, 5, 8, 40))
        .logitBias(Map.of(5, 2.0, 40, -1.5, 60, 9.0)).minTokens(2).stopTokenIds(List.of(8)).badWords(List.of("x")).build();
    SequenceSamplingState st = SequenceSamplingState.create(p, new int[] {1, 2}, 0, List.of(99), List.of(new int[] {7, 3}), VOCAB);
    PenaltySlots slots = new PenaltySlots(2);
    float[][] rows = new float[2][VOCAB];
    int[] outputs = {7, 9, 3};
    for (int step = 0; step <= outputs.length; step++) {
      slots.beginStep();
      int s = slots.slotFor(st);
      applyBias(slots.updates(), rows);
      // the oracle: the CPU Sampler's own processing of an all-zero row (greedy: no temperature)
      float[] want = new float[VOCAB];
      dev.barista.engine.sampling.Sampler.process(want, st);
      assertArrayEquals(want, rows[s], "step " + step);
      if (step < outputs.length) st.appendOutput(outputs[step]);
    }
  }
}

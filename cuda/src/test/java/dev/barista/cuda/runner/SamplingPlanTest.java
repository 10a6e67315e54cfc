package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.cuda.runner.DeviceSampling.Mode;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests of a step go to the device, and which to the CPU Sampler. */
class SamplingPlanTest {
  static SequenceSlice slice(SamplingParams p, boolean sample) {
    SequenceSamplingState st = SequenceSamplingState.create(p, new int[] {1, 2}, List.of(9), 50);
    return new SequenceSlice(st, new int[] {1, 2}, 0, new int[] {0}, sample, false);
  }

  static final SamplingParams TOP_P = SamplingParams.builder().temperature(0.7).topP(0.9).build();
  static final SamplingParams PENALIZED = SamplingParams.builder().temperature(0.7).repetitionPenalty(1.2).build();
  static final SamplingParams LOGPROBS = SamplingParams.builder().temperature(0.7).logprobs(2).build();
  static final SamplingParams ALL_LOGPROBS = SamplingParams.builder().temperature(0.7).logprobs(-1).build();

  @Test
  void fullModeServesTopPPenaltiesAndTopLogprobsButNotTheWholeVocabularys() {
    List<SequenceSlice> s = List.of(slice(TOP_P, true), slice(PENALIZED, true), slice(LOGPROBS, true), slice(TOP_P, false),
        slice(ALL_LOGPROBS, true));
    SamplingPlan plan = SamplingPlan.of(s, false, Mode.FULL, new PenaltySlots(4));
    assertArrayEquals(new boolean[] {true, true, true, false, false}, plan.onDevice());
    assertArrayEquals(new int[] {-1, 0, -1, -1, -1}, plan.slot());
  }

  @Test
  void promptLogprobsUpTo20ComeFromTheDeviceUnlessLogitsAreKept() {
    SequenceSlice asks = new SequenceSlice(SequenceSamplingState.create(SamplingParams.builder().promptLogprobs(2).build(),
        new int[] {1, 2}, List.of(9), 50), new int[] {1, 2}, 0, new int[] {0}, false, true);
    SequenceSlice all = new SequenceSlice(SequenceSamplingState.create(SamplingParams.builder().promptLogprobs(-1).build(),
        new int[] {1, 2}, List.of(9), 50), new int[] {1, 2}, 0, new int[] {0}, false, true);
    assertArrayEquals(new boolean[] {true, false, false},
        SamplingPlan.of(List.of(asks, all, slice(TOP_P, true)), false, Mode.FULL, new PenaltySlots(1)).promptOnDevice());
    assertArrayEquals(new boolean[] {false}, SamplingPlan.of(List.of(asks), true, Mode.FULL, new PenaltySlots(1)).promptOnDevice());
  }

  @Test
  void basicModeAndKeptLogitsSendThemToTheCpu() {
    List<SequenceSlice> s = List.of(slice(TOP_P, true), slice(PENALIZED, true));
    assertArrayEquals(new boolean[] {false, false}, SamplingPlan.of(s, false, Mode.BASIC, new PenaltySlots(4)).onDevice());
    assertArrayEquals(new boolean[] {false, false}, SamplingPlan.of(s, true, Mode.FULL, new PenaltySlots(4)).onDevice());
  }

  @Test
  void penalizedSequencesBeyondTheSlotsGoToTheCpu() {
    List<SequenceSlice> s = List.of(slice(PENALIZED, true), slice(PENALIZED, true), slice(PENALIZED, true));
    SamplingPlan plan = SamplingPlan.of(s, false, Mode.FULL, new PenaltySlots(2));
    assertArrayEquals(new boolean[] {true, true, false}, plan.onDevice());
    assertEquals(-1, plan.slot()[2]);
  }

  @Test
  void rowsTheDeviceDoesNotServeGetInertWords() {
    List<SequenceSlice> s = List.of(slice(ALL_LOGPROBS, true));
    SamplingPlan plan = SamplingPlan.of(s, false, Mode.FULL, new PenaltySlots(1));
    int[] b = new int[DeviceSampling.WORDS];
    plan.write(0, s.get(0), b, 0);
    assertEquals(0f, Float.intBitsToFloat(b[0]), "greedy");
    assertEquals(-1, b[5], "no penalty slot");
    assertEquals(-1, b[16], "no device logprobs");
  }
}

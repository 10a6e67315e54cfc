package dev.barista.cuda.runner;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;

/**
 * One step's sampling decisions: which sampling slices the device serves (only their token ids,
 * and logprobs where asked, come back), each one's penalty slot, and whose prompt logprobs come
 * from the device. The rest copy their logits rows to the CPU.
 *
 * @param onDevice per slice: sampled by the device kernel
 * @param slot per slice: its row in the device's penalty counts, -1 for none
 * @param promptOnDevice per slice: its prompt logprobs computed by logprobs.cu
 */
public record SamplingPlan(boolean[] onDevice, int[] slot, boolean[] promptOnDevice) implements StepInputs.SamplingFloats {
  /**
   * Plans a step: a slice samples on the device when DeviceSampling supports its request in this
   * mode, logits are not being kept for checks, and (with penalties) it gets a penalty slot, whose
   * count updates {@code penalties} then holds for the step.
   */
  public static SamplingPlan of(List<SequenceSlice> slices, boolean keepLogits, DeviceSampling.Mode mode, PenaltySlots penalties) {
    boolean[] onDevice = new boolean[slices.size()];
    int[] slot = new int[slices.size()];
    boolean[] promptOnDevice = new boolean[slices.size()];
    penalties.beginStep();
    for (int s = 0; s < slices.size(); s++) {
      SequenceSlice slice = slices.get(s);
      slot[s] = -1;
      promptOnDevice[s] = slice.promptLogprobs() && !keepLogits && DeviceSampling.promptLogprobsOnDevice(slice.sampling().params());
      if (!slice.sample() || keepLogits || !DeviceSampling.supports(slice.sampling(), mode)) continue;
      SamplingParams p = slice.sampling().params();
      if (DeviceSampling.hasPenalties(p) || DeviceSampling.needsBiasRow(p)) {
        slot[s] = penalties.slotFor(slice.sampling());
        if (slot[s] < 0) continue;
      }
      onDevice[s] = true;
    }
    return new SamplingPlan(onDevice, slot, promptOnDevice);
  }

  /** A prompt row's words: its next prompt token's logprob and the top ones, where the device computes them. */
  @Override
  public void writePromptRow(int s, SequenceSlice slice, int i, int[] buffer, int offset) {
    if (!promptOnDevice[s]) {
      DeviceSampling.writeUnused(buffer, offset);
      return;
    }
    SequenceSamplingState st = slice.sampling();
    DeviceSampling.writePromptRow(st.params().promptLogprobs(), st.promptToken(slice.startPosition() + i + 1), buffer, offset);
  }

  /** Writes slice {@code s}'s kernel words (a row the device does not serve gets inert ones). */
  @Override
  public void write(int s, SequenceSlice slice, int[] buffer, int offset) {
    if (onDevice[s]) DeviceSampling.write(slice.sampling(), slot[s], buffer, offset);
    else DeviceSampling.writeUnused(buffer, offset);
  }
}

package dev.barista.cuda.runner;

import dev.barista.engine.runner.SequenceSlice;
import java.util.List;

/**
 * One step's sampling decisions: which sampling slices the device serves (only their token ids
 * come back) and each one's penalty slot. The rest copy their logits row to the CPU Sampler.
 *
 * @param onDevice per slice: sampled by the device kernel
 * @param slot per slice: its row in the device's penalty counts, -1 for none
 */
public record SamplingPlan(boolean[] onDevice, int[] slot) {
  /**
   * Plans a step: a slice samples on the device when DeviceSampling supports its request in this
   * mode, logits are not being kept for checks, and (with penalties) it gets a penalty slot, whose
   * count updates {@code penalties} then holds for the step.
   */
  public static SamplingPlan of(List<SequenceSlice> slices, boolean keepLogits, DeviceSampling.Mode mode, PenaltySlots penalties) {
    boolean[] onDevice = new boolean[slices.size()];
    int[] slot = new int[slices.size()];
    penalties.beginStep();
    for (int s = 0; s < slices.size(); s++) {
      SequenceSlice slice = slices.get(s);
      slot[s] = -1;
      if (!slice.sample() || keepLogits || !DeviceSampling.supports(slice.sampling(), mode)) continue;
      if (DeviceSampling.hasPenalties(slice.sampling().params())) {
        slot[s] = penalties.slotFor(slice.sampling());
        if (slot[s] < 0) continue;
      }
      onDevice[s] = true;
    }
    return new SamplingPlan(onDevice, slot);
  }

  /** Writes slice {@code s}'s kernel words (a row the device does not serve gets inert ones). */
  public void write(int s, SequenceSlice slice, int[] buffer, int offset) {
    if (onDevice[s]) DeviceSampling.write(slice.sampling(), slot[s], buffer, offset);
    else DeviceSampling.writeUnused(buffer, offset);
  }
}

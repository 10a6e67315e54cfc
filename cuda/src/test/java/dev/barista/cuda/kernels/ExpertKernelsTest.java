package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** The bounds moe.cu's kernels state (MOE_MAX_K, moe_plan's shared memory). */
class ExpertKernelsTest {
  @Test
  void boundsOfExpertsAndChoices() {
    assertNull(ExpertKernels.unsupported(8, 2)); // Mixtral
    assertNull(ExpertKernels.unsupported(128, 8)); // Qwen3-MoE
    assertNull(ExpertKernels.unsupported(256, 8)); // DeepSeek-V3's count
    assertTrue(ExpertKernels.unsupported(257, 8).contains("257 experts"));
    assertTrue(ExpertKernels.unsupported(64, 17).contains("top 17"));
    assertTrue(ExpertKernels.unsupported(4, 5).contains("top 5 of 4"));
  }

  @Test
  void thePlanFitsTheDefaultSharedMemoryForEveryExpertCountItTakes() {
    assertEquals(4 * 34 * 8, ExpertKernels.planSharedBytes(8));
    assertTrue(ExpertKernels.planSharedBytes(ExpertKernels.MAX_EXPERTS) <= 48 * 1024);
  }

  @Test
  void routeParametersFollowTheKernelSignature() {
    try (Arena a = Arena.ofConfined()) {
      // logits, ld, E, K, normalize, logit_bias, sigmoid, correction, groups, kept_groups, group_max, scale,
      // choice, weight
      var routing = new ExpertKernels.Routing(true, true, 8, 4, false, 2.5f);
      KernelArgs args = ExpertKernels.packRoute(new KernelArgs(a), 0x1000, 257, 256, 8, routing, 0, 0x2000, 0x3000, 0x4000);
      long[] want = {0x1000, 257, 256, 8, 1, 0, 1, 0x2000, 8, 4, 0, Float.floatToRawIntBits(2.5f), 0x3000, 0x4000};
      assertEquals(want.length, args.count());
      for (int i = 0; i < want.length; i++) assertEquals(want[i], args.slotBits(i), "parameter " + i);
    }
  }

  @Test
  void expertGroupsMustSplitTheExpertsIntoPairsOrMore() {
    try (Arena a = Arena.ofConfined()) {
      KernelArgs args = new KernelArgs(a);
      // 6 experts in 4 groups, groups of 1, 33 groups, more groups kept than there are
      for (var r : new ExpertKernels.Routing[] {new ExpertKernels.Routing(true, true, 4, 1, false, 1),
          new ExpertKernels.Routing(true, true, 6, 1, false, 1), new ExpertKernels.Routing(false, false, 3, 4, true, 1)}) {
        assertThrows(IllegalArgumentException.class, () -> ExpertKernels.packRoute(args, 1, 6, 6, 2, r, 0, 0, 2, 3));
      }
      assertThrows(IllegalArgumentException.class, () -> ExpertKernels.packRoute(args, 1, 66, 66, 2,
          new ExpertKernels.Routing(true, true, 33, 1, false, 1), 0, 0, 2, 3));
      ExpertKernels.packRoute(args, 1, 6, 6, 2, new ExpertKernels.Routing(true, true, 3, 2, false, 1), 0, 0, 2, 3);
      ExpertKernels.packRoute(args, 1, 6, 6, 2, new ExpertKernels.Routing(false, false, 3, 2, true, 1.5f), 0, 0, 2, 3);
      ExpertKernels.packRoute(args, 1, 6, 6, 2, ExpertKernels.Routing.softmax(false), 0, 0, 2, 3);
    }
  }
}

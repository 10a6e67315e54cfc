package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

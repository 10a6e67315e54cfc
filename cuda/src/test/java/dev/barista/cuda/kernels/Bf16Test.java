package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Bf16Test {
  @Test
  void knownEncodings() {
    assertEquals((short) 0x3f80, Bf16.fromFloat(1f));
    assertEquals((short) 0xc000, Bf16.fromFloat(-2f));
    assertEquals((short) 0x0000, Bf16.fromFloat(0f));
    assertEquals((short) 0x7f80, Bf16.fromFloat(Float.POSITIVE_INFINITY));
    assertTrue(Float.isNaN(Bf16.toFloat(Bf16.fromFloat(Float.NaN))));
  }

  @Test
  void roundsToNearestEven() {
    // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1)
    assertEquals(1f, Bf16.round(1f + 0x1p-8f));
    // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6
    assertEquals(1f + 0x1p-6f, Bf16.round(1f + 3 * 0x1p-8f));
    assertEquals(1f + 0x1p-7f, Bf16.round(1f + 0x1p-7f + 0x1p-12f));
  }
}

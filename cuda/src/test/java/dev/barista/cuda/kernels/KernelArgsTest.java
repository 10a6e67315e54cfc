package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class KernelArgsTest {
  @Test
  void eachParameterPointsAtItsOwnEightByteSlot() {
    try (Arena a = Arena.ofConfined()) {
      KernelArgs args = new KernelArgs(a);
      args.reset().ptr(0x7f00_1234_5678L).i32(-3).f32(1.5f).ptr(0);
      assertEquals(4, args.count());
      assertEquals(0x7f00_1234_5678L, args.slotBits(0));
      // an int sits in the low 4 bytes (little-endian), the rest zeroed
      assertEquals(0xffff_fffdL, args.slotBits(1));
      assertEquals(Float.floatToRawIntBits(1.5f), (int) args.slotBits(2));
      assertEquals(0, args.slotBits(2) >>> 32);
      assertEquals(0L, args.slotBits(3));
      for (int i = 0; i < 4; i++) assertEquals(args.valueAddress(i), args.pointerTo(i));
      assertEquals(args.valueAddress(0) + 8, args.valueAddress(1));
    }
  }

  @Test
  void resetReusesSlotsAndClearsStaleHighBits() {
    try (Arena a = Arena.ofConfined()) {
      KernelArgs args = new KernelArgs(a);
      args.reset().ptr(-1L);
      args.reset().i32(7);
      assertEquals(1, args.count());
      assertEquals(7L, args.slotBits(0));
    }
  }

  @Test
  void tooManyArgumentsIsAnError() {
    try (Arena a = Arena.ofConfined()) {
      KernelArgs args = new KernelArgs(a);
      for (int i = 0; i < KernelArgs.MAX_ARGS; i++) args.i32(i);
      assertThrows(IllegalStateException.class, () -> args.i32(0));
    }
  }
}

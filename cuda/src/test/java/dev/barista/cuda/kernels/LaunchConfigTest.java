package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class LaunchConfigTest {
  @Test
  void fillsTheFieldsWhereCudaHReadsThem() {
    try (Arena arena = Arena.ofConfined()) {
      LaunchConfig lc = new LaunchConfig(arena);
      MemorySegment c = lc.fill(512, 3, 2, 256, 1, 1, 6144, 0x7f00_1234_5678L);
      assertEquals(LaunchConfig.CONFIG_BYTES, c.byteSize());
      int[] want = {512, 3, 2, 256, 1, 1, 6144};
      for (int i = 0; i < want.length; i++) assertEquals(want[i], c.get(ValueLayout.JAVA_INT, 4L * i), "field " + i);
      assertEquals(0x7f00_1234_5678L, c.get(ValueLayout.JAVA_LONG, LaunchConfig.STREAM_OFFSET));
      assertEquals(1, c.get(ValueLayout.JAVA_INT, LaunchConfig.NUM_ATTRS_OFFSET));
      MemorySegment attr = c.get(ValueLayout.ADDRESS, LaunchConfig.ATTRS_OFFSET).reinterpret(LaunchConfig.ATTRIBUTE_BYTES);
      assertEquals(6, attr.get(ValueLayout.JAVA_INT, 0), "CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION");
      assertEquals(1, attr.get(ValueLayout.JAVA_INT, LaunchConfig.ATTRIBUTE_VALUE_OFFSET));
      // a second launch refills the same memory
      MemorySegment again = lc.fill(1, 1, 1, 32, 1, 1, 0, 5);
      assertEquals(c.address(), again.address());
      assertEquals(1, again.get(ValueLayout.JAVA_INT, 0));
      assertEquals(5, again.get(ValueLayout.JAVA_LONG, LaunchConfig.STREAM_OFFSET));
    }
  }

  @Test
  void argumentsCarryTheLaunchKind() {
    try (Arena arena = Arena.ofConfined()) {
      KernelArgs args = new KernelArgs(arena);
      assertEquals(false, args.programmatic());
      args.programmatic(true);
      args.reset().i32(1);
      assertEquals(true, args.programmatic(), "reset starts a new argument list, not a new launch kind");
    }
  }
}

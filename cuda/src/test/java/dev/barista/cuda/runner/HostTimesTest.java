package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostTimesTest {
  @Test
  void meansArePerPartAndStep() {
    HostTimes h = new HostTimes();
    assertEquals(HostTimes.PARTS.length, h.meansUs().length);
    // two steps; stamps in ns at the start and after each of the six parts
    h.add(0, 1_000, 3_000, 6_000, 10_000, 810_000, 811_000);
    h.add(0, 3_000, 5_000, 8_000, 12_000, 812_000, 815_000);
    assertEquals(2, h.steps());
    assertArrayEquals(new double[] {2.0, 2.0, 3.0, 4.0, 800.0, 2.0}, h.meansUs(), 1e-9);
    h.reset();
    assertEquals(0, h.steps());
    assertArrayEquals(new double[6], h.meansUs(), 1e-9);
  }
}

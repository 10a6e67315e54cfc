package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.barista.engine.model.RopeFrequencies;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The layout RopeFromFreq (qkv_head.cuh) reads: the header's int bits, then the tables. */
class RotaryTableTest {

  @Test
  void oneTableNeverSwitches() {
    float[] t = RotaryTable.single(new float[] {1f, 0.5f});
    assertEquals(RotaryTable.HEADER_FLOATS + 2, t.length);
    assertEquals(Integer.MAX_VALUE, Float.floatToRawIntBits(t[0]));
    assertEquals(2, Float.floatToRawIntBits(t[1]));
    assertArrayEquals(new float[] {1f, 0.5f}, Arrays.copyOfRange(t, RotaryTable.HEADER_FLOATS, t.length));
  }

  @Test
  void aLongTableFollowsTheShortOneFromItsPosition() {
    float[] t = RotaryTable.of(new RopeFrequencies.Rotary(new double[] {1, 0.5}, new double[] {0.25, 0.125}, 4096));
    assertEquals(4096, Float.floatToRawIntBits(t[0]));
    assertEquals(2, Float.floatToRawIntBits(t[1]));
    assertArrayEquals(new float[] {1f, 0.5f, 0.25f, 0.125f}, Arrays.copyOfRange(t, RotaryTable.HEADER_FLOATS, t.length));
    assertEquals(0, RotaryTable.HEADER_FLOATS * 4 % 16, "the tables stay 16-byte aligned");
    assertThrows(IllegalArgumentException.class, () -> RotaryTable.build(new float[2], new float[3], 1));
  }

  @Test
  void theThirdHeaderWordMarksInterleavedPairs() {
    var rotary = new RopeFrequencies.Rotary(new double[] {1, 0.5}, null, Integer.MAX_VALUE);
    assertEquals(0, Float.floatToRawIntBits(RotaryTable.of(rotary)[2]));
    assertEquals(0, Float.floatToRawIntBits(RotaryTable.of(rotary, false)[2]));
    float[] t = RotaryTable.of(rotary, true);
    assertEquals(1, Float.floatToRawIntBits(t[2]));
    assertEquals(2, Float.floatToRawIntBits(t[1]), "the pair count stays where the kernels read it");
  }
}

package dev.barista.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** MXFP4 decoding against the OCP Microscaling v1.0 tables. */
class Mxfp4Test {
  /** FP4 E2M1 by code, as the spec tabulates it (codes 8-15: the negatives of 0-7). */
  private static final float[] E2M1 = {0f, 0.5f, 1f, 1.5f, 2f, 3f, 4f, 6f, -0f, -0.5f, -1f, -1.5f, -2f, -3f, -4f, -6f};

  @Test
  void everyE2m1CodeIsTheSpecsValue() {
    for (int code = 0; code < 16; code++) {
      assertEquals(Float.floatToIntBits(E2M1[code]), Float.floatToIntBits(Mxfp4.e2m1(code)), "code " + code);
    }
  }

  @Test
  void e8m0IsAPowerOfTwoBiased127AndFfIsNan() {
    assertEquals(1f, Mxfp4.e8m0(127));
    assertEquals(2f, Mxfp4.e8m0(128));
    assertEquals(0.125f, Mxfp4.e8m0(124));
    assertEquals(0x1p-127f, Mxfp4.e8m0(0));
    assertEquals(0x1p127f, Mxfp4.e8m0(254));
    assertTrue(Float.isNaN(Mxfp4.e8m0(255)));
  }

  @Test
  void rowsDecodeLowNibbleFirstWithOneScalePer32Values() {
    // two rows of 64 values: row 0 byte 0 is 0x1F (low nibble 0xF = -6 first, high 0x1 = 0.5), byte 16
    // (the second block) 0x72 (1, then 6); row 1 byte 5 is 0xA3 (1.5, then -1)
    byte[] blocks = new byte[2 * 32];
    blocks[0] = 0x1F;
    blocks[16] = 0x72;
    blocks[32 + 5] = (byte) 0xA3;
    byte[] scales = {(byte) 128, (byte) 125, (byte) 127, (byte) 130}; // x2, x1/4 | x1, x8
    Tensor t = Mxfp4.dequantize("w", MemorySegment.ofArray(blocks), MemorySegment.ofArray(scales), 2, 64);
    assertEquals(DType.BF16, t.dtype());
    assertEquals(2, t.rows());
    assertEquals(64, t.cols());
    assertEquals(-12f, t.get(0));
    assertEquals(1f, t.get(1));
    assertEquals(0f, t.get(2));
    assertEquals(0.25f, t.get(32));
    assertEquals(1.5f, t.get(33));
    assertEquals(1.5f, t.get(64 + 10));
    assertEquals(-1f, t.get(64 + 11));
    int nonZero = 0;
    for (int i = 0; i < 128; i++) if (t.get(i) != 0) nonZero++;
    assertEquals(6, nonZero);
  }
}

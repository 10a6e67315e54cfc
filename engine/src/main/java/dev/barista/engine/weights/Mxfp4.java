package dev.barista.engine.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * MXFP4 (OCP Microscaling Formats v1.0) as GPT-OSS checkpoints store their experts: blocks of 32
 * FP4 E2M1 values sharing one E8M0 scale. A matrix row of {@code cols} values is cols / 2 bytes of
 * blocks, two values a byte with the even one in the low nibble, and cols / 32 scale bytes; a
 * value is its E2M1 code's number times 2^(scale - 127). Dequantized once at load to bf16, which
 * holds every such product exactly (as transformers' dequantize does).
 */
public final class Mxfp4 {
  /** Values sharing one scale. */
  public static final int BLOCK = 32;

  private static final ValueLayout.OfShort BF16_BITS = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private Mxfp4() {}

  /**
   * The number a 4-bit E2M1 code stands for: sign bit 3, a 2-bit exponent (bias 1; 0 is subnormal)
   * and a 1-bit mantissa, so 0, 0.5, 1, 1.5, 2, 3, 4, 6 and their negatives.
   */
  public static float e2m1(int code) {
    int exponent = (code >> 1) & 3;
    int mantissa = code & 1;
    float magnitude = exponent == 0 ? 0.5f * mantissa : Math.scalb(1f + 0.5f * mantissa, exponent - 1);
    return (code & 8) != 0 ? -magnitude : magnitude;
  }

  /** The power of two an E8M0 scale byte stands for, 2^(bits - 127); 0xFF is NaN. */
  public static float e8m0(int bits) {
    return bits == 0xFF ? Float.NaN : Math.scalb(1f, bits - 127);
  }

  /**
   * The {@code rows} x {@code cols} matrix of {@code blocks} (rows * cols / 2 bytes) and
   * {@code scales} (rows * cols / 32 bytes), as a bf16 tensor in memory of its own.
   */
  public static Tensor dequantize(String name, MemorySegment blocks, MemorySegment scales, int rows, int cols) {
    if (cols % BLOCK != 0 || blocks.byteSize() != (long) rows * cols / 2 || scales.byteSize() != (long) rows * cols / BLOCK) {
      throw new IllegalArgumentException(name + ": " + rows + " x " + cols + " MXFP4 values need " + (long) rows * cols / 2
          + " block and " + (long) rows * cols / BLOCK + " scale bytes, got " + blocks.byteSize() + " and "
          + scales.byteSize());
    }
    short[] lookup = new short[16];
    for (int code = 0; code < 16; code++) lookup[code] = bf16Bits(e2m1(code));
    MemorySegment out = UninitializedMemory.allocate((long) rows * cols * 2, Arena.ofAuto());
    IntStream.range(0, rows).parallel().forEach(r -> {
      long row = (long) r * cols;
      for (int b = 0; b < cols / BLOCK; b++) {
        float scale = e8m0(scales.get(ValueLayout.JAVA_BYTE, row / BLOCK + b) & 0xFF);
        for (int i = 0; i < BLOCK / 2; i++) {
          long at = row + (long) b * BLOCK + 2 * i;
          int pair = blocks.get(ValueLayout.JAVA_BYTE, at / 2) & 0xFF;
          out.set(BF16_BITS, 2 * at, scaled(lookup[pair & 0xF], scale));
          out.set(BF16_BITS, 2 * at + 2, scaled(lookup[pair >>> 4], scale));
        }
      }
    });
    return new Tensor(name, DType.BF16, new long[] {rows, cols}, out);
  }

  private static short scaled(short bf16, float scale) {
    return bf16Bits(Float.intBitsToFloat(bf16 << 16) * scale);
  }

  private static short bf16Bits(float v) {
    return (short) (Float.floatToRawIntBits(DType.BF16.round(v)) >>> 16);
  }
}

package dev.barista.cuda.kernels;

/** bfloat16 conversions on the host (round to nearest even, as the device's __float2bfloat16). */
public final class Bf16 {
  private Bf16() {}

  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40); // quiet NaN
    int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  public static float toFloat(short b) {
    return Float.intBitsToFloat((b & 0xffff) << 16);
  }

  /** The value after a round trip through bf16. */
  public static float round(float f) {
    return toFloat(fromFloat(f));
  }
}

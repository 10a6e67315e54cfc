package dev.barista.engine.weights;

/** Element types Barista reads weights in, with their safetensors and torch names. */
public enum DType {
  F32(4, "F32", "float32"),
  BF16(2, "BF16", "bfloat16"),
  F16(2, "F16", "float16");

  private final int bytes;
  private final String safetensorsName;
  private final String torchName;

  DType(int bytes, String safetensorsName, String torchName) {
    this.bytes = bytes;
    this.safetensorsName = safetensorsName;
    this.torchName = torchName;
  }

  public int bytes() {
    return bytes;
  }

  public String safetensorsName() {
    return safetensorsName;
  }

  /** {@code x} rounded to this dtype (round to nearest even), as torch casts a scalar. */
  public float round(float x) {
    return switch (this) {
      case F32 -> x;
      case F16 -> Float.float16ToFloat(Float.floatToFloat16(x));
      case BF16 -> {
        int bits = Float.floatToRawIntBits(x);
        yield Float.isNaN(x) ? x : Float.intBitsToFloat(((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16) << 16);
      }
    };
  }

  /** The safetensors dtype code, or null when we do not read that dtype. */
  public static DType fromSafetensorsName(String name) {
    for (DType d : values()) if (d.safetensorsName.equals(name)) return d;
    return null;
  }

  /** A torch dtype name (config.json's torch_dtype, or --dtype): float32, bfloat16, float16. */
  public static DType fromTorchName(String name, String where) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    for (DType d : values()) {
      if (d.torchName.equals(n) || d.safetensorsName.equalsIgnoreCase(n)) return d;
    }
    if (n.equals("float") || n.equals("fp32")) return F32;
    if (n.equals("half") || n.equals("fp16")) return F16;
    throw new UnsupportedDtypeException(where + ": dtype " + name
        + " is not supported (float32, bfloat16, float16)");
  }
}

package dev.barista.hub.safetensors;

/** The element types safetensors names, with their byte sizes. */
public enum DType {
  F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
  I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  public int bytes() {
    return bytes;
  }

  public static DType parse(String name, String where) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new SafetensorsFormatException(where + ": unknown dtype " + name);
    }
  }
}

package dev.barista.hub.safetensors;

import java.util.Arrays;

/**
 * One tensor of a safetensors file.
 *
 * @param begin byte offset of the data, relative to the start of the data section
 * @param end exclusive end offset, relative to the start of the data section
 */
public record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

  public long byteSize() {
    return end - begin;
  }

  public long elements() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorEntry t && name.equals(t.name) && dtype == t.dtype
        && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
  }
}

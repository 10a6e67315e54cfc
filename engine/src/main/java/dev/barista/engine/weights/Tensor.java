package dev.barista.engine.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A weight tensor read in place: little-endian elements of {@code dtype} in {@code data} (a slice of
 * a memory-mapped file or of off-heap memory), row-major with shape {@code shape}.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data) {

  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED
      .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED
      .withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

  public long numElements() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  /** Rows of a 2-D tensor (its first dimension); 1 for a vector. */
  public int rows() {
    return shape.length == 1 ? 1 : (int) shape[0];
  }

  /** Columns of a 2-D tensor (its last dimension). */
  public int cols() {
    return (int) shape[shape.length - 1];
  }

  /**
   * Rows [{@code from}, {@code from + count}) of a 2-D tensor as a tensor of its own, sharing the
   * data (a fused projection's parts, e.g. Phi-3's qkv_proj).
   */
  public Tensor rowSlice(String sliceName, long from, long count) {
    if (shape.length != 2 || from < 0 || count < 0 || from + count > shape[0]) {
      throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + ": no rows [" + from + ", "
          + (from + count) + ")");
    }
    long rowBytes = shape[1] * dtype.bytes();
    return new Tensor(sliceName, dtype, new long[] {count, shape[1]}, data.asSlice(from * rowBytes, count * rowBytes));
  }

  /** A tensor of 3 or more dimensions as the 2-D matrix of its rows (its last dimension), sharing the data. */
  public Tensor asRows() {
    if (shape.length <= 2) return this;
    return new Tensor(name, dtype, new long[] {numElements() / shape[shape.length - 1], shape[shape.length - 1]}, data);
  }

  /** Elements [{@code from}, {@code from + count}) of a vector as a tensor of its own, sharing the data. */
  public Tensor elementSlice(String sliceName, long from, long count) {
    if (shape.length != 1 || from < 0 || count < 0 || from + count > shape[0]) {
      throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + ": no elements [" + from + ", "
          + (from + count) + ")");
    }
    return new Tensor(sliceName, dtype, new long[] {count}, data.asSlice(from * dtype.bytes(), count * dtype.bytes()));
  }

  /**
   * Blocks of {@code count} rows (elements of a vector) starting at {@code first}, {@code first +
   * stride}, ... ({@code blocks} of them), copied one after another into a tensor of their own:
   * GPT-NeoX interleaves q, k and v per head in its fused projection.
   */
  public Tensor rowBlocks(String newName, long first, long count, long stride, int blocks) {
    long rowBytes = (shape.length == 1 ? 1 : shape[1]) * dtype.bytes();
    MemorySegment out = UninitializedMemory.allocate(blocks * count * rowBytes, java.lang.foreign.Arena.ofAuto());
    for (int b = 0; b < blocks; b++) {
      long from = first + b * stride;
      if (from + count > shape[0]) {
        throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + ": no rows [" + from + ", " + (from + count) + ")");
      }
      MemorySegment.copy(data, from * rowBytes, out, b * count * rowBytes, count * rowBytes);
    }
    long[] newShape = shape.length == 1 ? new long[] {blocks * count} : new long[] {blocks * count, shape[1]};
    return new Tensor(newName, dtype, newShape, out);
  }

  /**
   * The transpose of a 2-D tensor, copied into native memory of its own in the same dtype (GPT-2's
   * Conv1D weights are stored [in, out]).
   */
  public Tensor transposed(String newName) {
    return columnsAsRows(newName, 0, 1);
  }

  /**
   * Columns {@code first}, {@code first + stride}, ... of a 2-D tensor as the rows of a new one: a
   * transposed copy of every stride-th column (GPT-OSS stores its experts [in, out] with gate and up
   * interleaved column by column). The copy lives in malloc'd memory, freed when the tensor is
   * unreachable: a model's experts are tens of GB, more than the JVM's direct-memory limit.
   */
  public Tensor columnsAsRows(String newName, long first, long stride) {
    if (shape.length != 2) throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + " is not a matrix");
    long rows = shape[0];
    long cols = shape[1];
    if (first < 0 || stride < 1 || first >= cols) {
      throw new IllegalArgumentException(name + " " + Arrays.toString(shape) + ": no columns from " + first + " by " + stride);
    }
    long outRows = (cols - first + stride - 1) / stride;
    int es = dtype.bytes();
    MemorySegment out = UninitializedMemory.allocate(outRows * rows * es, java.lang.foreign.Arena.ofAuto());
    // a tile of source rows at a time, so that the lines it reads stay in cache across the columns
    final long tile = 64;
    for (long r0 = 0; r0 < rows; r0 += tile) {
      long r1 = Math.min(rows, r0 + tile);
      for (long o = 0; o < outRows; o++) {
        long c = first + o * stride;
        for (long r = r0; r < r1; r++) {
          long from = (r * cols + c) * es;
          long to = (o * rows + r) * es;
          if (es == 2) out.set(I16, to, data.get(I16, from));
          else out.set(I32, to, data.get(I32, from));
        }
      }
    }
    return new Tensor(newName, dtype, new long[] {outRows, rows}, out);
  }

  /** A float32 vector of {@code values} in native memory of its own (freed with the tensor). */
  public static Tensor ofFloats(String name, float[] values) {
    MemorySegment data = java.lang.foreign.Arena.ofAuto().allocate((long) values.length * 4, 64);
    for (int i = 0; i < values.length; i++) data.setAtIndex(F32, i, values[i]);
    return new Tensor(name, DType.F32, new long[] {values.length}, data);
  }

  /** Element {@code i} (flat index) as a float; for small tensors and tests, not hot loops. */
  public float get(long i) {
    return switch (dtype) {
      case F32 -> data.get(F32, i * 4);
      case BF16 -> Float.intBitsToFloat((data.get(I16, i * 2) & 0xFFFF) << 16);
      case F16 -> Float.float16ToFloat(data.get(I16, i * 2));
    };
  }

  /** Copies this (small) tensor into a new float array, e.g. norm weights and biases. */
  public float[] toFloatArray() {
    float[] out = new float[Math.toIntExact(numElements())];
    for (int i = 0; i < out.length; i++) out[i] = get(i);
    return out;
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}

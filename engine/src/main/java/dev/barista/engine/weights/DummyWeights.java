package dev.barista.engine.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Random weights of any requested shape, for benchmarks with real shapes but no checkpoint
 * ({@code --load-format dummy}). Values are a pure function of (seed, tensor name, element index),
 * so a seed always gives the same model whatever order tensors are asked in. Matrices are uniform
 * with standard deviation {@link #STD} (transformers' usual initializer_range); norm weights are
 * near 1; so activations stay finite through deep stacks.
 */
public final class DummyWeights implements WeightSource {
  public static final double STD = 0.02;
  private static final int CHUNK = 1 << 16;
  private static final ValueLayout.OfFloat F32 =
      ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfShort I16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final Arena arena = Arena.ofShared();
  private final DType dtype;
  private final long seed;

  public DummyWeights(DType dtype, long seed) {
    this.dtype = dtype;
    this.seed = seed;
  }

  @Override
  public boolean contains(String name) {
    return true;
  }

  @Override
  public Tensor load(String name, long... shape) {
    long numel = 1;
    for (long d : shape) numel *= d;
    // Unzeroed: every byte is written below, and the filling threads fault their own pages.
    MemorySegment data = UninitializedMemory.allocate(numel * dtype.bytes(), arena);
    boolean isNorm = name.endsWith("norm.weight");
    double halfWidth = (isNorm ? 0.1 : STD) * Math.sqrt(3);
    double center = isNorm ? 1.0 : 0.0;
    long nameSeed = mix(seed ^ name.hashCode() * 0x9E3779B97F4A7C15L);
    long chunks = (numel + CHUNK - 1) / CHUNK;
    long total = numel;
    IntStream.range(0, (int) chunks).parallel().forEach(c -> {
      long from = (long) c * CHUNK;
      int n = (int) (Math.min(total, from + CHUNK) - from);
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        double u = (mix(nameSeed + (from + i) * 0xBF58476D1CE4E5B9L) >>> 11) * 0x1.0p-53;
        values[i] = (float) (center + (2 * u - 1) * halfWidth);
      }
      write(data, from, values);
    });
    return new Tensor(name, dtype, shape.clone(), data);
  }

  /** Stores a chunk of values at element {@code from}, in bulk. */
  private void write(MemorySegment data, long from, float[] values) {
    if (dtype == DType.F32) {
      MemorySegment.copy(values, 0, data, F32, from * 4, values.length);
      return;
    }
    short[] bits = new short[values.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = dtype == DType.BF16 ? toBf16(values[i]) : Float.floatToFloat16(values[i]);
    }
    MemorySegment.copy(bits, 0, data, I16, from * 2, bits.length);
  }

  /** Rounds to nearest-even bfloat16 (finite inputs only). */
  static short toBf16(float v) {
    int bits = Float.floatToRawIntBits(v);
    int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
    return (short) (rounded >>> 16);
  }

  /** SplitMix64's finalizer: a well-mixed 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public void close() {
    arena.close();
  }
}

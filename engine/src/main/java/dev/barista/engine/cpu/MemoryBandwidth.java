package dev.barista.engine.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures sustained DRAM read bandwidth the way the matmuls read weights: every core streams its
 * share of a buffer much larger than the caches through vector loads.
 */
public final class MemoryBandwidth implements AutoCloseable {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int CHUNK = 1 << 20;

  private final Arena arena = Arena.ofShared();
  private final MemorySegment buf;

  /** Allocates and touches a buffer of {@code bytes} (rounded down to whole MiB). */
  public MemoryBandwidth(long bytes) {
    buf = arena.allocate(Math.max(CHUNK, bytes / CHUNK * CHUNK), 64);
    buf.fill((byte) 1);
    for (int i = 0; i < 3; i++) read(buf); // warm up the JIT (C2) and the page tables
  }

  /** The median read bandwidth in bytes/second over {@code passes} passes over the buffer. */
  public double measure(int passes) {
    double[] rates = new double[passes];
    for (int p = 0; p < passes; p++) {
      long t0 = System.nanoTime();
      float s = read(buf);
      long dt = System.nanoTime() - t0;
      if (s == 42f) System.out.print(""); // keep the sum alive
      rates[p] = buf.byteSize() / (dt / 1e9);
    }
    Arrays.sort(rates);
    return rates[passes / 2];
  }

  @Override
  public void close() {
    arena.close();
  }

  private static float read(MemorySegment buf) {
    int chunks = (int) (buf.byteSize() / CHUNK);
    float[] partial = new float[chunks];
    Parallel.forRange(chunks, Parallel.grainFor(chunks, 1), (from, to) -> {
      for (int c = from; c < to; c++) partial[c] = sumChunk(buf, (long) c * CHUNK);
    });
    float s = 0;
    for (float p : partial) s += p;
    return s;
  }

  /** Sums one chunk with int-indexed vector loads (the shape C2 compiles best, as in Matmul). */
  private static float sumChunk(MemorySegment buf, long base) {
    FloatVector a0 = FloatVector.zero(FS);
    FloatVector a1 = FloatVector.zero(FS);
    FloatVector a2 = FloatVector.zero(FS);
    FloatVector a3 = FloatVector.zero(FS);
    int step = FS.vectorByteSize();
    for (int off = 0; off < CHUNK; off += 4 * step) {
      a0 = a0.add(FloatVector.fromMemorySegment(FS, buf, base + off, ByteOrder.LITTLE_ENDIAN));
      a1 = a1.add(FloatVector.fromMemorySegment(FS, buf, base + off + step, ByteOrder.LITTLE_ENDIAN));
      a2 = a2.add(FloatVector.fromMemorySegment(FS, buf, base + off + 2L * step, ByteOrder.LITTLE_ENDIAN));
      a3 = a3.add(FloatVector.fromMemorySegment(FS, buf, base + off + 3L * step, ByteOrder.LITTLE_ENDIAN));
    }
    return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
  }
}

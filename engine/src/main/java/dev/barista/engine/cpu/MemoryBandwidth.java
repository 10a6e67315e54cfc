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
public final class MemoryBandwidth {
  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final int CHUNK = 1 << 20;

  private MemoryBandwidth() {}

  /** The median read bandwidth in bytes/second over {@code passes} passes of {@code bytes}. */
  public static double measure(long bytes, int passes) {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment buf = arena.allocate(bytes, 64);
      buf.fill((byte) 1);
      double[] rates = new double[passes];
      read(buf); // warm up the JIT and the page tables
      for (int p = 0; p < passes; p++) {
        long t0 = System.nanoTime();
        float s = read(buf);
        long dt = System.nanoTime() - t0;
        if (s == 42f) System.out.print(""); // keep the sum alive
        rates[p] = bytes / (dt / 1e9);
      }
      Arrays.sort(rates);
      return rates[passes / 2];
    }
  }

  private static float read(MemorySegment buf) {
    int chunks = (int) (buf.byteSize() / CHUNK);
    float[] partial = new float[chunks];
    Parallel.forRange(chunks, Parallel.grainFor(chunks, 1), (from, to) -> {
      for (int c = from; c < to; c++) {
        long base = (long) c * CHUNK;
        FloatVector a0 = FloatVector.zero(FS);
        FloatVector a1 = FloatVector.zero(FS);
        int step = FS.vectorByteSize();
        for (long off = 0; off < CHUNK; off += 2L * step) {
          a0 = a0.add(FloatVector.fromMemorySegment(FS, buf, base + off, ByteOrder.LITTLE_ENDIAN));
          a1 = a1.add(FloatVector.fromMemorySegment(FS, buf, base + off + step, ByteOrder.LITTLE_ENDIAN));
        }
        partial[c] = a0.add(a1).reduceLanes(VectorOperators.ADD);
      }
    });
    float s = 0;
    for (float p : partial) s += p;
    return s;
  }
}

package dev.barista.cuda.driver;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Synchronous host/device copies of Java arrays, for set-up and checks (not the hot path). */
public final class Transfers {
  private Transfers() {}

  public static long upload(CudaDriver d, short[] values) {
    long p = d.malloc(2L * values.length);
    write(d, p, values);
    return p;
  }

  public static long upload(CudaDriver d, float[] values) {
    long p = d.malloc(4L * values.length);
    write(d, p, values);
    return p;
  }

  public static long upload(CudaDriver d, int[] values) {
    long p = d.malloc(4L * values.length);
    write(d, p, values);
    return p;
  }

  public static void write(CudaDriver d, long dst, short[] values) {
    try (Arena a = Arena.ofConfined()) {
      d.copyToDevice(dst, a.allocateFrom(ValueLayout.JAVA_SHORT, values), 2L * values.length);
    }
    d.synchronize(); // a pageable copy may still be in flight when cuMemcpyHtoD returns
  }

  public static void write(CudaDriver d, long dst, float[] values) {
    try (Arena a = Arena.ofConfined()) {
      d.copyToDevice(dst, a.allocateFrom(ValueLayout.JAVA_FLOAT, values), 4L * values.length);
    }
    d.synchronize();
  }

  public static void write(CudaDriver d, long dst, int[] values) {
    try (Arena a = Arena.ofConfined()) {
      d.copyToDevice(dst, a.allocateFrom(ValueLayout.JAVA_INT, values), 4L * values.length);
    }
    d.synchronize();
  }

  public static short[] readShorts(CudaDriver d, long src, int count) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(2L * count, 8);
      d.copyToHost(s, src, 2L * count);
      return s.toArray(ValueLayout.JAVA_SHORT);
    }
  }

  public static float[] readFloats(CudaDriver d, long src, int count) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(4L * count, 8);
      d.copyToHost(s, src, 4L * count);
      return s.toArray(ValueLayout.JAVA_FLOAT);
    }
  }

  public static int[] readInts(CudaDriver d, long src, int count) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment s = a.allocate(4L * count, 8);
      d.copyToHost(s, src, 4L * count);
      return s.toArray(ValueLayout.JAVA_INT);
    }
  }
}

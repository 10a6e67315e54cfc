package dev.barista.cuda.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code CUlaunchConfig} for {@code cuLaunchKernelEx} with one attribute, programmatic stream
 * serialization: the kernel may start while the one before it in the stream is still running, and
 * waits for it with {@code griddepcontrol.wait} (pdl_wait in common.cuh) before using its results.
 * Launch after launch overlaps that way; inside a CUDA graph the edge becomes a programmatic one.
 * The memory is allocated once and refilled per launch, so a launch allocates nothing.
 *
 * <p>Offsets are those of cuda.h (CUDA 13.0), checked by compiling {@code offsetof} probes against
 * the header: CUlaunchConfig is 56 bytes (grid and block dims and shared bytes as 7 uints, the
 * stream at 32, the attribute array at 40, their count at 48); CUlaunchAttribute is 72 bytes (the
 * id, then the value union at 8).
 */
public final class LaunchConfig {
  static final long CONFIG_BYTES = 56;
  static final long STREAM_OFFSET = 32;
  static final long ATTRS_OFFSET = 40;
  static final long NUM_ATTRS_OFFSET = 48;
  static final long ATTRIBUTE_BYTES = 72;
  static final long ATTRIBUTE_VALUE_OFFSET = 8;
  /** CU_LAUNCH_ATTRIBUTE_PROGRAMMATIC_STREAM_SERIALIZATION. */
  static final int PROGRAMMATIC_STREAM_SERIALIZATION = 6;

  private final MemorySegment config;

  public LaunchConfig(Arena arena) {
    config = arena.allocate(CONFIG_BYTES, 8);
    MemorySegment attribute = arena.allocate(ATTRIBUTE_BYTES, 8);
    attribute.set(ValueLayout.JAVA_INT, 0, PROGRAMMATIC_STREAM_SERIALIZATION);
    attribute.set(ValueLayout.JAVA_INT, ATTRIBUTE_VALUE_OFFSET, 1); // programmaticStreamSerializationAllowed
    config.set(ValueLayout.ADDRESS, ATTRS_OFFSET, attribute);
    config.set(ValueLayout.JAVA_INT, NUM_ATTRS_OFFSET, 1);
  }

  /** The config of one launch, filled in place. */
  public MemorySegment fill(int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream) {
    int[] dims = {gx, gy, gz, bx, by, bz, sharedBytes};
    for (int i = 0; i < dims.length; i++) config.set(ValueLayout.JAVA_INT, 4L * i, dims[i]);
    config.set(ValueLayout.JAVA_LONG, STREAM_OFFSET, stream);
    return config;
  }
}

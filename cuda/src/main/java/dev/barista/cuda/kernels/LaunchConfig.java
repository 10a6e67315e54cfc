package dev.barista.cuda.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code CUlaunchConfig} for {@code cuLaunchKernelEx} with up to two attributes: programmatic
 * stream serialization (the kernel may start while the one before it in the stream is still
 * running, and waits for it with {@code griddepcontrol.wait}, pdl_wait in common.cuh, before using
 * its results; inside a CUDA graph the edge becomes a programmatic one) and a thread-block cluster
 * shape. The memory is allocated once and refilled per launch, so a launch allocates nothing.
 *
 * <p>Offsets are those of cuda.h (CUDA 13.0), checked by compiling {@code offsetof} probes against
 * the header: CUlaunchConfig is 56 bytes (grid and block dims and shared bytes as 7 uints, the
 * stream at 32, the attribute array at 40, their count at 48); CUlaunchAttribute is 72 bytes (the
 * id, then the value union at 8; a cluster shape is 3 uints there).
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
  /** CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION. */
  static final int CLUSTER_DIMENSION = 4;

  private final MemorySegment config;
  private final MemorySegment attributes;

  public LaunchConfig(Arena arena) {
    config = arena.allocate(CONFIG_BYTES, 8);
    attributes = arena.allocate(2 * ATTRIBUTE_BYTES, 8);
    config.set(ValueLayout.ADDRESS, ATTRS_OFFSET, attributes);
  }

  /** The config of one programmatic launch, filled in place. */
  public MemorySegment fill(int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream) {
    return fill(gx, gy, gz, bx, by, bz, sharedBytes, stream, true, 1);
  }

  /**
   * The config of one launch, filled in place: programmatic or not, in clusters of (1, 1,
   * {@code clusterZ}) blocks where {@code clusterZ > 1}.
   */
  public MemorySegment fill(
      int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes, long stream, boolean programmatic, int clusterZ) {
    int[] dims = {gx, gy, gz, bx, by, bz, sharedBytes};
    for (int i = 0; i < dims.length; i++) config.set(ValueLayout.JAVA_INT, 4L * i, dims[i]);
    config.set(ValueLayout.JAVA_LONG, STREAM_OFFSET, stream);
    int n = 0;
    if (programmatic) {
      long a = n++ * ATTRIBUTE_BYTES;
      attributes.set(ValueLayout.JAVA_INT, a, PROGRAMMATIC_STREAM_SERIALIZATION);
      attributes.set(ValueLayout.JAVA_INT, a + ATTRIBUTE_VALUE_OFFSET, 1); // programmaticStreamSerializationAllowed
    }
    if (clusterZ > 1) {
      long a = n++ * ATTRIBUTE_BYTES;
      attributes.set(ValueLayout.JAVA_INT, a, CLUSTER_DIMENSION);
      attributes.set(ValueLayout.JAVA_INT, a + ATTRIBUTE_VALUE_OFFSET, 1);
      attributes.set(ValueLayout.JAVA_INT, a + ATTRIBUTE_VALUE_OFFSET + 4, 1);
      attributes.set(ValueLayout.JAVA_INT, a + ATTRIBUTE_VALUE_OFFSET + 8, clusterZ);
    }
    config.set(ValueLayout.JAVA_INT, NUM_ATTRS_OFFSET, n);
    return config;
  }
}

package dev.barista.cuda.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Packs kernel parameters the way {@code cuLaunchKernel} reads them: an array of pointers, the
 * i-th pointing at the i-th argument's value. Values sit in 8-byte slots of one buffer whose
 * pointer array is built once, so a launch allocates nothing. Not thread-safe: one per stream.
 */
public final class KernelArgs {
  public static final int MAX_ARGS = 48;

  private final MemorySegment pointers;
  private final MemorySegment values;
  private final LaunchConfig launchConfig;
  private boolean programmatic;
  private int count;

  public KernelArgs(Arena arena) {
    launchConfig = new LaunchConfig(arena);
    values = arena.allocate(8L * MAX_ARGS, 8);
    pointers = arena.allocate(ValueLayout.ADDRESS, MAX_ARGS);
    for (int i = 0; i < MAX_ARGS; i++) {
      pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(8L * i, 8));
    }
  }

  /**
   * Whether launches with these arguments (this stream's) are programmatic dependent launches (see
   * {@link LaunchConfig}); every kernel of Barista waits for its predecessor before using its output,
   * so this changes timing, not results.
   */
  public void programmatic(boolean on) {
    programmatic = on;
  }

  public boolean programmatic() {
    return programmatic;
  }

  LaunchConfig launchConfig() {
    return launchConfig;
  }

  /** Starts a new argument list. */
  public KernelArgs reset() {
    count = 0;
    return this;
  }

  /** A device pointer ({@code T*} in the kernel's signature); 0 stands for nullptr. */
  public KernelArgs ptr(long devicePointer) {
    values.set(ValueLayout.JAVA_LONG, slot(), devicePointer);
    return this;
  }

  public KernelArgs i32(int v) {
    long s = slot();
    values.set(ValueLayout.JAVA_LONG, s, 0L);
    values.set(ValueLayout.JAVA_INT, s, v);
    return this;
  }

  public KernelArgs f32(float v) {
    long s = slot();
    values.set(ValueLayout.JAVA_LONG, s, 0L);
    values.set(ValueLayout.JAVA_FLOAT, s, v);
    return this;
  }

  public int count() {
    return count;
  }

  /** The pointer array to pass as {@code kernelParams}. */
  public MemorySegment params() {
    return pointers;
  }

  /** The raw 8 bytes of argument {@code i} (for tests). */
  public long slotBits(int i) {
    return values.get(ValueLayout.JAVA_LONG, 8L * i);
  }

  /** The address argument {@code i}'s pointer refers to (for tests). */
  public long pointerTo(int i) {
    return pointers.getAtIndex(ValueLayout.ADDRESS, i).address();
  }

  public long valueAddress(int i) {
    return values.address() + 8L * i;
  }

  private long slot() {
    if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
    return 8L * count++;
  }
}

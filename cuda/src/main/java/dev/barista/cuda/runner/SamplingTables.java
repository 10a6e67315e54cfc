package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The full sampling kernel's per-sequence tables on the device, {@code [slots, vocab]} each: the
 * penalty counts (allocated up front, so decode graphs capture their address) and the token bias
 * rows (allocated the first time a request needs one; the runner then drops its graphs), and
 * {@link #apply} for a step's {@link PenaltySlots.Updates}.
 */
public final class SamplingTables implements AutoCloseable {
  private final CudaDriver d;
  private final Kernels k;
  private final int slots;
  private final int vocab;
  private final long counts;
  private long bias;
  private long staging; // the step's updates on the device, grown as needed
  private MemorySegment hostStaging;
  private long stagingBytes;

  public SamplingTables(CudaDriver d, Kernels k, int slots, int vocab, long stream) {
    this.d = d;
    this.k = k;
    this.slots = slots;
    this.vocab = vocab;
    this.counts = d.malloc(4L * slots * vocab);
    d.memsetAsync(counts, (byte) 0, 4L * slots * vocab, stream);
  }

  public long counts() {
    return counts;
  }

  /** The bias rows, or 0 until a request needed one. */
  public long bias() {
    return bias;
  }

  /**
   * Applies a step's updates ahead of its sampling; returns true when it allocated the bias rows
   * (device addresses captured in graphs before are then stale).
   */
  public boolean apply(PenaltySlots.Updates u, long stream) {
    if (u.isEmpty()) return false;
    long row = 4L * vocab;
    for (int slot : u.clearSlots()) d.memsetAsync(counts + slot * row, (byte) 0, row, stream);
    boolean allocated = false;
    if ((u.biasFills().length > 0 || u.biasSets().length > 0) && bias == 0) {
      bias = d.malloc(4L * slots * vocab);
      allocated = true;
    }
    int[] t = u.triples(), f = u.biasFills(), s = u.biasSets();
    if (t.length + f.length + s.length == 0) return allocated;
    long base = stage(t, f, s, stream);
    if (t.length > 0) k.penaltyUpdate(counts, vocab, base, u.count(), stream);
    k.biasUpdate(bias, vocab, base + 4L * t.length, f.length / 2, base + 4L * (t.length + f.length), s.length / 3, stream);
    return allocated;
  }

  /** Copies the three int arrays back to back to the device; returns where they start. */
  private long stage(int[] t, int[] f, int[] s, long stream) {
    long bytes = 4L * (t.length + f.length + s.length);
    if (bytes > stagingBytes) {
      if (staging != 0) {
        d.synchronize(stream); // the previous buffers may still be read
        d.free(staging);
        d.freeHost(hostStaging);
      }
      stagingBytes = Math.max(bytes, 64L << 10);
      staging = d.malloc(stagingBytes);
      hostStaging = d.mallocHost(stagingBytes);
    }
    MemorySegment.copy(t, 0, hostStaging, ValueLayout.JAVA_INT, 0, t.length);
    MemorySegment.copy(f, 0, hostStaging, ValueLayout.JAVA_INT, 4L * t.length, f.length);
    MemorySegment.copy(s, 0, hostStaging, ValueLayout.JAVA_INT, 4L * (t.length + f.length), s.length);
    d.copyToDeviceAsync(staging, hostStaging, bytes, stream);
    return staging;
  }

  @Override
  public void close() {
    d.free(counts);
    if (bias != 0) d.free(bias);
    if (staging != 0) {
      d.free(staging);
      d.freeHost(hostStaging);
    }
  }
}

package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.toDoubles;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.Transfers;
import java.util.ArrayList;
import java.util.List;

/**
 * The device buffers of a run of checks: inputs uploaded, outputs poisoned so that an element a
 * kernel leaves unwritten fails its check, all freed together when the run ends.
 */
final class CheckBuffers {
  private final CudaDriver d;
  private final long stream;
  private final List<Long> allocations = new ArrayList<>();

  CheckBuffers(CudaDriver d, long stream) {
    this.d = d;
    this.stream = stream;
  }

  /** A buffer of all-ones bytes: NaN as bf16 and as f32, -1 as int. */
  long poisoned(long bytes) {
    long p = d.malloc(bytes);
    allocations.add(p);
    d.memsetAsync(p, (byte) 0xff, bytes, stream);
    return p;
  }

  long up(short[] v) {
    return kept(Transfers.upload(d, v));
  }

  long up(float[] v) {
    return kept(Transfers.upload(d, v));
  }

  long up(int[] v) {
    return kept(Transfers.upload(d, v));
  }

  /** {@code n} bf16 values at {@code p}, once the stream's work is done. */
  double[] readBf16(long p, int n) {
    d.synchronize(stream);
    return toDoubles(Transfers.readShorts(d, p, n));
  }

  /** {@code n} f32 values at {@code p}, once the stream's work is done. */
  double[] readF32(long p, int n) {
    d.synchronize(stream);
    return toDoubles(Transfers.readFloats(d, p, n));
  }

  void freeAll() {
    for (long p : allocations) d.free(p);
    allocations.clear();
  }

  private long kept(long p) {
    allocations.add(p);
    return p;
  }
}

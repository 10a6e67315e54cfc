package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;
import java.util.ArrayList;
import java.util.List;

/** Device allocations made up front and freed together (a runner's fixed-address buffers). */
final class DeviceBuffers implements AutoCloseable {
  private final CudaDriver d;
  private final List<Long> all = new ArrayList<>();

  DeviceBuffers(CudaDriver d) {
    this.d = d;
  }

  long alloc(long bytes) {
    long p = d.malloc(bytes);
    all.add(p);
    return p;
  }

  @Override
  public void close() {
    for (long p : all) d.free(p);
    all.clear();
  }
}

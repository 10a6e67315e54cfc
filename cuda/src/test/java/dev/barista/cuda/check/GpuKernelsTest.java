package dev.barista.cuda.check;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kernel against its CPU reference; skipped, with the reason, where there is no GPU. */
class GpuKernelsTest {
  @Test
  void kernelsMatchCpuReferences() {
    assumeTrue(CudaDriver.isAvailable(), () -> "no GPU: " + CudaDriver.unavailableReason());
    CudaDriver d = CudaDriver.get();
    d.retainPrimaryContext(d.device(0));
    long stream = d.createStream();
    try (Arena arena = Arena.ofShared(); CuBlas blas = new CuBlas(d, stream)) {
      List<CheckResult> results = new KernelChecks(d, new Kernels(d, arena), blas, stream, System.nanoTime()).runAll();
      for (CheckResult r : results) assertTrue(r.passed(), r.row());
    }
  }

  @Test
  void flashPrefillMatchesCpuReferenceAndPagedKernel() {
    assumeTrue(CudaDriver.isAvailable(), () -> "no GPU: " + CudaDriver.unavailableReason());
    CudaDriver d = CudaDriver.get();
    d.retainPrimaryContext(d.device(0));
    long stream = d.createStream();
    try (Arena arena = Arena.ofShared()) {
      List<CheckResult> results = new FlashAttentionChecks(d, new Kernels(d, arena), arena, stream, System.nanoTime()).runAll();
      for (CheckResult r : results) assertTrue(r.passed(), r.row());
    }
  }
}

package dev.barista.cuda.check;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cuBLASLt against cuBLAS on the models' GEMM shapes; skipped, with the reason, where there is no GPU. */
class GpuBlasLtTest {
  @Test
  void cublasLtMatchesCublas() {
    assumeTrue(CudaDriver.isAvailable(), () -> "no GPU: " + CudaDriver.unavailableReason());
    CudaDriver d = CudaDriver.get();
    d.retainPrimaryContext(d.device(0));
    long stream = d.createStream();
    try (Arena arena = Arena.ofShared(); CuBlas blas = new CuBlas(d, stream)) {
      List<CheckResult> results = new BlasLtChecks(d, new Kernels(d, arena), blas, stream, System.nanoTime()).runAll(false);
      assertTrue(results.size() > 1, "no checks ran");
      for (CheckResult r : results) assertTrue(r.passed(), r.row());
    }
  }
}

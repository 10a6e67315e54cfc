package dev.barista.cuda.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** Where there is no GPU (CI), asking for one fails with one clear line instead of a crash. */
class NoGpuTest {
  @Test
  void missingDriverIsOneClearLine() {
    assumeFalse(CudaDriver.isAvailable(), "a GPU is present: this test is for machines without one");
    String reason = CudaDriver.unavailableReason();
    assertNotNull(reason);
    assertFalse(reason.contains("\n"), reason);
    assertTrue(reason.contains("libcuda") || reason.contains("cuInit"), reason);
    assertThrows(CudaUnavailableException.class, CudaDriver::get);
  }
}

package dev.barista.cuda.driver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Where libcublasLt.so.13 is missing (CI), binding it fails with one line saying what to do. */
class CuBlasLtNoLibraryTest {
  @Test
  void missingLibraryIsOneClearLine() {
    CudaUnavailableException missing = null;
    try {
      CuBlasLt.loadLibrary();
    } catch (CudaUnavailableException e) {
      missing = e;
    }
    assumeTrue(missing != null, "libcublasLt.so.13 is installed here: this test is for machines without it");
    String message = missing.getMessage();
    assertFalse(message.contains("\n"), message);
    assertTrue(message.contains("libcublasLt.so.13"), message);
    assertTrue(message.contains("BARISTA_CUDA_LIB"), message);
    // constructing one fails the same way, before it touches the (absent) driver
    assertThrows(CudaUnavailableException.class, () -> new CuBlasLt(null, 0));
  }
}

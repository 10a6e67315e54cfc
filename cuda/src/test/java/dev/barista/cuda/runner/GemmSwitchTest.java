package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GemmSwitchTest {
  @Test
  void cublasUnlessCublasLtIsAskedFor() {
    assertEquals(Gemm.Library.CUBLAS, Gemm.Library.parse(null));
    assertEquals(Gemm.Library.CUBLAS, Gemm.Library.parse(""));
    assertEquals(Gemm.Library.CUBLAS, Gemm.Library.parse("cublas"));
    assertEquals(Gemm.Library.CUBLASLT, Gemm.Library.parse("cublaslt"));
    assertEquals(Gemm.Library.CUBLASLT, Gemm.Library.parse(" cuBLASLt "));
  }

  @Test
  void aTypoIsAnErrorNamingThePropertyAndTheChoices() {
    var e = assertThrows(IllegalArgumentException.class, () -> Gemm.Library.parse("cublas-lt"));
    assertTrue(e.getMessage().contains("barista.cuda.gemm"), e.getMessage());
    assertTrue(e.getMessage().contains("'cublas-lt'"), e.getMessage());
    assertTrue(e.getMessage().contains("cublas or cublaslt"), e.getMessage());
  }

  @Test
  void thePropertyIsReadWhenAsked() {
    String before = System.getProperty(Gemm.PROPERTY);
    try {
      System.setProperty(Gemm.PROPERTY, "cublaslt");
      assertEquals(Gemm.Library.CUBLASLT, Gemm.Library.requested());
      System.setProperty(Gemm.PROPERTY, "tensorrt");
      assertThrows(IllegalArgumentException.class, Gemm.Library::requested);
    } finally {
      if (before == null) System.clearProperty(Gemm.PROPERTY);
      else System.setProperty(Gemm.PROPERTY, before);
    }
  }
}

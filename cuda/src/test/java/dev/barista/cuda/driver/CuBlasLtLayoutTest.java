package dev.barista.cuda.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemoryLayout.PathElement;
import org.junit.jupiter.api.Test;

/**
 * CuBlasLt's struct layouts and enum values against cublasLt.h. The header is not on CI machines,
 * so the expected numbers are those a small C program printed (sizeof, alignof, offsetof and the
 * enum constants) when compiled with nvcc 13.0 against cublasLt.h of cuBLAS 13.4
 * (CUBLAS_VERSION 130400), on x86-64 Linux.
 */
class CuBlasLtLayoutTest {
  @Test
  void algoIsSixtyFourBytesOfEightByteWords() {
    assertEquals(64, CuBlasLt.ALGO.byteSize());
    assertEquals(8, CuBlasLt.ALGO.byteAlignment());
  }

  @Test
  void heuristicResultMatchesTheHeader() {
    var r = CuBlasLt.HEURISTIC_RESULT;
    assertEquals(96, r.byteSize());
    assertEquals(8, r.byteAlignment());
    assertEquals(0, offset("algo"));
    assertEquals(64, offset("workspaceSize"));
    assertEquals(72, offset("state"));
    assertEquals(76, offset("wavesCount"));
    assertEquals(80, offset("reserved"));
    assertEquals(0, CuBlasLt.RESULT_ALGO);
    assertEquals(72, CuBlasLt.RESULT_STATE);
  }

  @Test
  void enumValuesMatchTheHeader() {
    assertEquals(3, CuBlasLt.DESC_TRANSA); // CUBLASLT_MATMUL_DESC_TRANSA
    assertEquals(4, CuBlasLt.DESC_TRANSB);
    assertEquals(1, CuBlasLt.PREF_MAX_WORKSPACE_BYTES); // CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES
    assertEquals(5, CuBlasLt.PREF_MIN_ALIGNMENT_A_BYTES); // _B, _C, _D: 6, 7, 8
    assertEquals(68, CuBlas.COMPUTE_32F); // CUBLAS_COMPUTE_32F
    assertEquals(0, CuBlas.R_32F); // CUDA_R_32F
    assertEquals(14, CuBlas.R_16BF); // CUDA_R_16BF
    assertEquals(0, CuBlas.OP_N);
    assertEquals(1, CuBlas.OP_T);
  }

  private static long offset(String member) {
    return CuBlasLt.HEURISTIC_RESULT.byteOffset(PathElement.groupElement(member));
  }
}

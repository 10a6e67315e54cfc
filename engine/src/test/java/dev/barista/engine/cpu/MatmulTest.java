package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.weights.DType;
import dev.barista.engine.weights.DummyWeights;
import dev.barista.engine.weights.Tensor;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector kernels against a plain double-precision loop, on shapes that exercise every path:
 * vector body and scalar tail, 4-row tiles and leftover rows, 4-token tiles and leftover tokens.
 */
class MatmulTest {

  @ParameterizedTest
  @CsvSource({
      "BF16, 7, 74, 1", "BF16, 7, 74, 3", "BF16, 9, 74, 6", "BF16, 40, 96, 9", "BF16, 38, 64, 70",
      "F16, 7, 74, 5", "F16, 9, 64, 1", "F32, 7, 37, 5", "F32, 20, 64, 1"})
  void matchesAPlainLoop(DType dtype, int rows, int in, int tokens) {
    try (DummyWeights src = new DummyWeights(dtype, 11)) {
      Tensor w = src.load("w", rows, in);
      Random rnd = new Random(5);
      float[] x = new float[tokens * in];
      for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
      float[] bias = new float[rows];
      for (int i = 0; i < rows; i++) bias[i] = i * 0.5f;
      float[] out = new float[tokens * rows];
      for (int i = 0; i < out.length; i++) out[i] = 1f; // accumulate adds onto this
      Matmul.multiply(x, tokens, w, bias, out, true);
      for (int t = 0; t < tokens; t++) {
        for (int r = 0; r < rows; r++) {
          double expect = 1 + bias[r];
          for (int k = 0; k < in; k++) expect += (double) w.get((long) r * in + k) * x[t * in + k];
          assertEquals(expect, out[t * rows + r], 1e-4, "token " + t + " row " + r);
        }
      }
    }
  }

  /**
   * Batched = alone, bit for bit: a token's outputs must not depend on how many tokens share the
   * call (tiles, leftover tokens and the one-token streaming path all add in the same order).
   */
  @ParameterizedTest
  @CsvSource({"BF16, 38, 96, 11", "BF16, 21, 74, 70", "F16, 13, 64, 6"})
  void aTokensResultDoesNotDependOnTheBatch(DType dtype, int rows, int in, int tokens) {
    try (DummyWeights src = new DummyWeights(dtype, 3)) {
      Tensor w = src.load("w", rows, in);
      Random rnd = new Random(9);
      float[] x = new float[tokens * in];
      for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
      float[] together = new float[tokens * rows];
      Matmul.multiply(x, tokens, w, null, together, false);
      for (int t = 0; t < tokens; t++) {
        float[] alone = new float[rows];
        Matmul.multiply(java.util.Arrays.copyOfRange(x, t * in, (t + 1) * in), 1, w, null, alone, false);
        assertArrayEquals(alone, java.util.Arrays.copyOfRange(together, t * rows, (t + 1) * rows),
            "token " + t);
      }
    }
  }
}

package dev.barista.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The copies the loaders make of checkpoint tensors: transposes and strided column picks. */
class TensorCopiesTest {
  /** A 3 x 4 f32 matrix whose element (r, c) is 10 r + c. */
  private static Tensor matrix() {
    float[] v = new float[12];
    for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) v[r * 4 + c] = 10 * r + c;
    Tensor flat = Tensor.ofFloats("m", v);
    return new Tensor("m", DType.F32, new long[] {3, 4}, flat.data());
  }

  @Test
  void transposeSwapsRowsAndColumns() {
    Tensor t = matrix().transposed("t");
    assertArrayEquals(new long[] {4, 3}, t.shape());
    assertArrayEquals(new float[] {0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23}, t.toFloatArray());
  }

  @Test
  void interleavedColumnsBecomeTheRowsOfTwoMatrices() {
    // GPT-OSS: gate is the even columns of [in, 2 I], up the odd ones, each wanted as [I, in]
    Tensor gate = matrix().columnsAsRows("gate", 0, 2);
    Tensor up = matrix().columnsAsRows("up", 1, 2);
    assertArrayEquals(new long[] {2, 3}, gate.shape());
    assertArrayEquals(new float[] {0, 10, 20, 2, 12, 22}, gate.toFloatArray());
    assertArrayEquals(new float[] {1, 11, 21, 3, 13, 23}, up.toFloatArray());
  }

  @Test
  void columnsOutsideTheMatrixAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> matrix().columnsAsRows("x", 4, 1));
    assertThrows(IllegalArgumentException.class, () -> matrix().columnsAsRows("x", 0, 0));
  }
}

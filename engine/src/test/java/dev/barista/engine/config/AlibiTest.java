package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** ALiBi's slopes against the paper's rule worked out by hand. */
class AlibiTest {
  private static final double[] POWERS_OF_ONE_HALF_1_TO_8 = {
      0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125, 0.00390625};

  @Test
  void eightHeadsFallGeometricallyFromOneHalfToOneIn256() {
    assertArrayEquals(POWERS_OF_ONE_HALF_1_TO_8, Alibi.slopes(8, 8), 0);
  }

  @Test
  void fourHeadsStepByPowersOfOneQuarter() {
    assertArrayEquals(new double[] {0.25, 0.0625, 0.015625, 0.00390625}, Alibi.slopes(4, 8), 0);
  }

  /** Twelve heads: the eight slopes of eight heads, then every other slope of sixteen (2^-0.5, 2^-1.5, ...). */
  @Test
  void twelveHeadsAddTheOddSlopesOfSixteenHeads() {
    double r = Math.sqrt(0.5);
    double[] expected = new double[12];
    System.arraycopy(POWERS_OF_ONE_HALF_1_TO_8, 0, expected, 0, 8);
    expected[8] = r;
    expected[9] = r / 2;
    expected[10] = r / 4;
    expected[11] = r / 8;
    assertArrayEquals(expected, Alibi.slopes(12, 8), 1e-15);
  }

  /** Six heads: the four slopes of four heads, then the first and third of eight heads. */
  @Test
  void sixHeadsAddTheOddSlopesOfEightHeads() {
    assertArrayEquals(new double[] {0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125}, Alibi.slopes(6, 8), 0);
  }

  /** MPT's alibi_bias_max sets the smallest slope: 2^-16 for four heads with a maximum bias of 16. */
  @Test
  void aLargerMaximumBiasSpreadsTheSlopesFurther() {
    assertArrayEquals(new double[] {1 / 16.0, 1 / 256.0, 1 / 4096.0, 1 / 65536.0}, Alibi.slopes(4, 16), 0);
  }

  /** 2^-0.5 = 0.7071... lies between bfloat16's 181/256 and 182/256; 2^-1.5 between 181/512 and 182/512. */
  @Test
  void falconsBfloat16RoundingKeepsPowersOfTwoAndRoundsTheOthers() {
    double[] rounded = Alibi.roundedToBf16(Alibi.slopes(12, 8));
    assertArrayEquals(POWERS_OF_ONE_HALF_1_TO_8, java.util.Arrays.copyOf(rounded, 8), 0);
    assertArrayEquals(new double[] {181 / 256.0, 181 / 512.0}, java.util.Arrays.copyOfRange(rounded, 8, 10), 0);
  }

  @Test
  void scoreSlopesCarryTheSoftmaxScaleOnlyWhereTheBiasJoinsTheRawProduct() {
    double[] slopes = {0.5, 0.25};
    assertArrayEquals(new double[] {0.5, 0.25}, new Alibi(slopes, false).scoreSlopes(0.125), 0);
    assertArrayEquals(new double[] {0.0625, 0.03125}, new Alibi(slopes, true).scoreSlopes(0.125), 0);
  }
}

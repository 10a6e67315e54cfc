package dev.barista.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Llama 4's query factor log(floor((p + 1) / floor_scale) + 1) * attn_scale + 1 with tiny-llama4's
 * floor_scale 8 and attn_scale 0.1, worked out by hand: 1 until position 7, then 1 + 0.1 ln 2, 1 +
 * 0.1 ln 3 from 15, 1 + 0.1 ln 4 from 23.
 */
class AttentionTemperatureTest {
  private static final AttentionTemperature TINY = new AttentionTemperature(8, 0.1);

  @Test
  void positionsBeforeTheFirstFloorScaleAreUnscaled() {
    for (int p = 0; p < 7; p++) assertEquals(1.0, TINY.factor(p), 0, "position " + p);
  }

  @Test
  void theFactorStepsUpEveryFloorScalePositions() {
    assertEquals(1.0693147180559945, TINY.factor(7), 1e-15); // (7 + 1) / 8 = 1: 1 + 0.1 ln 2
    assertEquals(1.0693147180559945, TINY.factor(14), 1e-15); // 15 / 8 floors to 1
    assertEquals(1.1098612288668110, TINY.factor(15), 1e-15); // 16 / 8 = 2: 1 + 0.1 ln 3
    assertEquals(1.1098612288668110, TINY.factor(22), 1e-15);
    assertEquals(1.1386294361119891, TINY.factor(23), 1e-15); // 24 / 8 = 3: 1 + 0.1 ln 4
  }

  @Test
  void theReleasedModelsScaleOnlyPast8192Tokens() {
    AttentionTemperature scout = new AttentionTemperature(8192, 0.1);
    assertEquals(1.0, scout.factor(8190), 0);
    assertEquals(1.0693147180559945, scout.factor(8191), 1e-15);
  }
}

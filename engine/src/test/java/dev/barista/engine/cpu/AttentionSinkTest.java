package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The attention softmax with GPT-OSS's sink logit: a share of the denominator that goes to no value. */
class AttentionSinkTest {

  /** Probabilities as the attention weighs the values: numerators times the returned normalizer. */
  private static float[] weights(float[] scores, float sink) {
    float[] s = scores.clone();
    float inv = PagedAttention.softmaxNumerators(s, s.length, sink);
    for (int j = 0; j < s.length; j++) s[j] *= inv;
    return s;
  }

  @Test
  void aSinkEqualToAScoreTakesItsShare() {
    // exp(0) = 1, exp(ln 2) = 2 and the sink exp(0) = 1: a denominator of 4
    float[] w = weights(new float[] {0f, (float) Math.log(2)}, 0f);
    assertEquals(0.25f, w[0], 1e-6f);
    assertEquals(0.5f, w[1], 1e-6f);
  }

  @Test
  void noSinkIsThePlainSoftmax() {
    float[] w = weights(new float[] {0f, (float) Math.log(2)}, Float.NEGATIVE_INFINITY);
    assertEquals(1 / 3f, w[0], 1e-6f);
    assertEquals(2 / 3f, w[1], 1e-6f);
  }

  @Test
  void aSinkAboveEveryScoreStaysFinite() {
    // scores 1000 and 1000 + ln 3 against a sink of 1000 + ln 4: weights 1/8 and 3/8, without overflow
    float[] w = weights(new float[] {1000f, 1000f + (float) Math.log(3)}, 1000f + (float) Math.log(4));
    assertEquals(1 / 8f, w[0], 1e-4f);
    assertEquals(3 / 8f, w[1], 1e-4f);
  }
}

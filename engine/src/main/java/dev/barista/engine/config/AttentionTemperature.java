package dev.barista.engine.config;

/**
 * Llama 4's attention temperature tuning (attn_temperature_tuning): on the layers that do not
 * rotate, the queries of position p are multiplied by log(floor((p + 1) / floorScale) + 1) *
 * attnScale + 1, which sharpens attention over long contexts where no rotation tells positions
 * apart (floor_scale, attn_scale).
 */
public record AttentionTemperature(double floorScale, double attnScale) {
  public AttentionTemperature {
    if (!(floorScale > 0) || Double.isInfinite(floorScale) || !Double.isFinite(attnScale)) {
      throw new IllegalArgumentException("floor scale " + floorScale + " must be positive and attn scale "
          + attnScale + " finite");
    }
  }

  /** The factor of the queries at {@code position} (0-based). */
  public double factor(int position) {
    return Math.log1p(Math.floor((position + 1.0) / floorScale)) * attnScale + 1.0;
  }
}

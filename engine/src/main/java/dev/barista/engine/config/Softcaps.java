package dev.barista.engine.config;

/**
 * Gemma 2's logit soft-capping: a score s becomes cap * tanh(s / cap), for the attention scores
 * (after the softmax scale) and for the final logits; 0 leaves them uncapped.
 */
public record Softcaps(double attention, double finalLogits) {
  public static final Softcaps NONE = new Softcaps(0, 0);

  /** cap * tanh(x / cap), or x where cap is 0. */
  public static float apply(float x, float cap) {
    return cap == 0 ? x : cap * (float) Math.tanh(x / cap);
  }
}

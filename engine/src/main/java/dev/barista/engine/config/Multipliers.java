package dev.barista.engine.config;

/**
 * Granite's scalar multipliers (1 for every other architecture): the token embeddings are
 * multiplied by {@code embedding}, each attention and MLP output by {@code residual} before it is
 * added to the residual stream, and the logits divided by {@code logitsScaling}; {@code attention}
 * replaces 1/sqrt(head_dim) as the softmax scale where positive.
 */
public record Multipliers(double embedding, double residual, double attention, double logitsScaling) {
  public static final Multipliers NONE = new Multipliers(1, 1, 0, 1);

  /** Whether every multiplier is the identity (the runners then skip them). */
  public boolean none() {
    return equals(NONE);
  }
}

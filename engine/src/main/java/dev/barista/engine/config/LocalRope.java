package dev.barista.engine.config;

import java.util.List;

/**
 * Gemma 3's second rotary base: the layers flagged in {@code layers} (its sliding-window layers)
 * rotate with base {@code theta} and no scaling; the others with the config's rope_theta and
 * rope_scaling.
 */
public record LocalRope(double theta, List<Boolean> layers) {
  public LocalRope {
    layers = List.copyOf(layers);
  }

  public boolean appliesTo(int layer) {
    return layers.get(layer);
  }
}

package dev.barista.engine.config;

/**
 * How rotary embedding frequencies are rescaled for long contexts (config.json's rope_scaling or
 * rope_parameters).
 *
 * @param type "linear" (positions divided by factor) or "llama3" (wavelength-dependent blend)
 * @param factor the scaling factor
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositionEmbeddings llama3 only: the context length the model was trained at
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings) {

  public static RopeScaling linear(double factor) {
    return new RopeScaling("linear", factor, 0, 0, 0);
  }

  public static RopeScaling llama3(double factor, double low, double high, int originalMax) {
    return new RopeScaling("llama3", factor, low, high, originalMax);
  }
}

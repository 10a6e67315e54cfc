package dev.barista.engine.config;

/**
 * GPT-OSS's expert activation in place of act(gate) * up: with gate clamped to at most
 * {@code limit} and up to [-limit, limit], gate * sigmoid(alpha * gate) * (up + 1).
 *
 * @param alpha the sigmoid's slope (1.702, which makes gate * sigmoid(alpha gate) approximate GELU)
 * @param limit swiglu_limit (7.0)
 */
public record SwigluClamp(double alpha, double limit) {
  /** GPT-OSS's alpha, fixed in transformers rather than read from the config. */
  public static final double GPT_OSS_ALPHA = 1.702;

  /** The activated value of one gate/up pair, in double precision: the reference for the kernels. */
  public double of(double gate, double up) {
    double g = Math.min(gate, limit);
    double u = Math.clamp(up, -limit, limit);
    return g / (1 + Math.exp(-alpha * g)) * (u + 1);
  }
}

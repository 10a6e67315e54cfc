package dev.barista.engine.config;

/**
 * The MLP's activation, as config.json names it (transformers' ACT2FN keys): a gated MLP computes
 * act(gate) * up, an ungated one (OPT, GPT-2) act(fc1 x).
 */
public enum Activation {
  /** silu / swish: x * sigmoid(x) (Llama, Qwen, Mistral, Phi-3, ...). */
  SILU,
  /** The tanh approximation of GELU (gelu_pytorch_tanh, gelu_new, gelu_fast): Gemma's. */
  GELU_TANH,
  /** Exact GELU, x * Phi(x) through erf (gelu). */
  GELU,
  /** max(x, 0) (OPT). */
  RELU,
  /** max(x, 0)^2, transformers' relu2 (Nemotron, Arcee). */
  RELU2;

  /** The activation transformers' ACT2FN maps {@code name} to, or null where Barista has none. */
  public static Activation fromName(String name) {
    return switch (name) {
      case "silu", "swish" -> SILU;
      case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh" -> GELU_TANH;
      case "gelu" -> GELU;
      case "relu" -> RELU;
      case "relu2" -> RELU2;
      default -> null;
    };
  }

  /** act(x) in double precision: the reference the kernels are checked against. */
  public double of(double x) {
    return switch (this) {
      case SILU -> x / (1 + Math.exp(-x));
      case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
      case GELU -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
      case RELU -> Math.max(x, 0);
      case RELU2 -> Math.max(x, 0) * Math.max(x, 0);
    };
  }

  /** erf to about 1e-13: its Maclaurin series below 2.5, else the continued fraction of erfc. */
  public static double erf(double x) {
    double a = Math.abs(x);
    double r;
    if (a < 2.5) {
      double term = a;
      double sum = a;
      double a2 = a * a;
      for (int k = 1; k < 80; k++) {
        term *= -a2 / k;
        double next = term / (2 * k + 1);
        sum += next;
        if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc(a) = exp(-a^2) / sqrt(pi) / (a + (1/2) / (a + 1 / (a + (3/2) / (a + ...)))), bottom-up
      double f = a;
      for (int k = 60; k >= 1; k--) f = a + (k / 2.0) / f;
      r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
    }
    return x < 0 ? -r : r;
  }
}

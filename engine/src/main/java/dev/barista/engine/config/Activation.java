package dev.barista.engine.config;

/**
 * The gated MLP's activation, as config.json names it (transformers' ACT2FN keys): the MLP computes
 * act(gate) * up.
 */
public enum Activation {
  /** silu / swish: x * sigmoid(x) (Llama, Qwen, Mistral, Phi-3, ...). */
  SILU,
  /** The tanh approximation of GELU (gelu_pytorch_tanh, gelu_new, gelu_fast): Gemma's. */
  GELU_TANH,
  /** Exact GELU, x * Phi(x) through erf (gelu). */
  GELU;

  /** The activation transformers' ACT2FN maps {@code name} to, or null where Barista has none. */
  public static Activation fromName(String name) {
    return switch (name) {
      case "silu", "swish" -> SILU;
      case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh" -> GELU_TANH;
      case "gelu" -> GELU;
      default -> null;
    };
  }
}

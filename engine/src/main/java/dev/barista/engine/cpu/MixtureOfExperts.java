package dev.barista.engine.cpu;

import dev.barista.engine.config.Activation;
import dev.barista.engine.config.Moe;
import dev.barista.engine.config.SwigluClamp;
import dev.barista.engine.model.MoeWeights;
import dev.barista.engine.weights.Tensor;
import java.util.List;

/**
 * A sparse layer's MLP on the CPU: router logits, softmax, the top-k experts of each token (their
 * probabilities renormalised where the model says so; or {@link GroupedTopKRouter}'s choice and
 * weights), each expert's gated MLP over the rows
 * routed to it, added into the residual stream weighted by its probability; Qwen2-MoE's shared
 * expert over every row, scaled by sigmoid(its gate) (GraniteMoeShared's, DeepSeek's and GLM-4.5's,
 * which have no gate, as they are). GPT-OSS adds a router bias and expert biases, and activates its
 * experts with {@link SwigluClamp}. Llama 4 ({@code Moe.sigmoidScaledInputs}) scales each routed
 * expert's input by its score instead of its output.
 */
final class MixtureOfExperts {
  private MixtureOfExperts() {}

  /** x[t] += scale * moe(xn[t]) for n rows of width h ({@code scale}: Granite-MoE's residual multiplier, else 1). */
  static void addInto(float[] xn, int n, int h, Moe moe, MoeWeights w, Activation act, float scale, float[] x) {
    int experts = w.experts();
    float[] logits = new float[n * experts];
    Matmul.multiply(xn, n, w.router(), w.routerBias() == null ? null : w.routerBias().toFloatArray(), logits, false);
    float[] weight = new float[n * experts]; // 0 where the expert is not among the token's top k
    float[] bias = w.scoreCorrectionBias() == null ? null : w.scoreCorrectionBias().toFloatArray();
    for (int t = 0; t < n; t++) {
      if (moe.groupedTopK() != null) {
        GroupedTopKRouter.route(logits, t * experts, experts, moe.topK(), moe.normalizeTopK(), moe.groupedTopK(), bias,
            weight);
      } else if (moe.sigmoidScaledInputs()) {
        routeBySigmoid(logits, t * experts, experts, moe.topK(), weight);
      } else {
        route(logits, t * experts, experts, moe.topK(), moe.normalizeTopK(), weight);
      }
    }
    boolean scaleInputs = moe.sigmoidScaledInputs();
    int inter = moe.expertIntermediate();
    for (int e = 0; e < experts; e++) {
      int rows = 0;
      for (int t = 0; t < n; t++) if (weight[t * experts + e] != 0) rows++;
      if (rows == 0) continue;
      int[] token = new int[rows];
      float[] in = new float[rows * h];
      for (int t = 0, r = 0; t < n; t++) {
        if (weight[t * experts + e] == 0) continue;
        token[r] = t;
        float inputScale = scaleInputs ? weight[t * experts + e] : 1f;
        for (int i = 0; i < h; i++) in[r * h + i] = xn[t * h + i] * inputScale;
        r++;
      }
      float[] out = mlp(in, rows, h, inter, w.gate().get(e), w.up().get(e), w.down().get(e), act, moe.swigluClamp(),
          bias(w.gateBias(), e), bias(w.upBias(), e), bias(w.downBias(), e));
      for (int r = 0; r < rows; r++) {
        float p = (scaleInputs ? 1f : weight[token[r] * experts + e]) * scale;
        for (int i = 0; i < h; i++) x[token[r] * h + i] += p * out[r * h + i];
      }
    }
    if (w.sharedGate() != null) {
      float[] out = mlp(xn, n, h, moe.sharedIntermediate(), w.sharedGate(), w.sharedUp(), w.sharedDown(), act, null,
          null, null, null);
      float[] g = new float[n];
      if (w.sharedExpertGate() != null) Matmul.multiply(xn, n, w.sharedExpertGate(), null, g, false);
      for (int t = 0; t < n; t++) {
        float s = scale * (w.sharedExpertGate() == null ? 1f : (float) (1 / (1 + Math.exp(-g[t]))));
        for (int i = 0; i < h; i++) x[t * h + i] += s * out[t * h + i];
      }
    }
  }

  /**
   * down(act(gate x) * up x) over {@code rows} rows, with GPT-OSS's clamped activation in place of
   * act where {@code clamp} is not null, and the projections' biases where they are not null.
   */
  private static float[] mlp(float[] in, int rows, int h, int inter, Tensor gate, Tensor up, Tensor down,
      Activation act, SwigluClamp clamp, float[] gateBias, float[] upBias, float[] downBias) {
    float[] g = new float[rows * inter];
    float[] u = new float[rows * inter];
    Matmul.multiplyAll(in, rows, List.of(new Matmul.Job(gate, gateBias, g, false), new Matmul.Job(up, upBias, u, false)));
    if (clamp != null) GatedActivation.applyClamped(clamp, g, u, rows * inter);
    else GatedActivation.apply(act, g, u, rows * inter);
    float[] out = new float[rows * h];
    Matmul.multiply(g, rows, down, downBias, out, false);
    return out;
  }

  /** Expert {@code e}'s bias in f32, null where the experts have none. */
  private static float[] bias(List<Tensor> biases, int e) {
    return biases.isEmpty() ? null : biases.get(e).toFloatArray();
  }

  /**
   * Softmax of one token's router logits, its top k (the lower index first among equal
   * probabilities, as torch.topk on CPU), renormalised where asked; the others get weight 0.
   */
  static void route(float[] logits, int off, int experts, int topK, boolean normalize, float[] weight) {
    double max = Double.NEGATIVE_INFINITY;
    for (int e = 0; e < experts; e++) max = Math.max(max, logits[off + e]);
    double[] p = new double[experts];
    double sum = 0;
    for (int e = 0; e < experts; e++) sum += p[e] = Math.exp(logits[off + e] - max);
    boolean[] taken = topK(p, topK);
    double kept = 0;
    for (int e = 0; e < experts; e++) if (taken[e]) kept += p[e] / sum;
    for (int e = 0; e < experts; e++) {
      weight[off + e] = taken[e] ? (float) (p[e] / sum / (normalize ? kept : 1)) : 0f;
    }
  }

  /**
   * Llama 4's router: one token's top k logits, each weighted by its own sigmoid (not
   * renormalised); the others get weight 0.
   */
  static void routeBySigmoid(float[] logits, int off, int experts, int topK, float[] weight) {
    double[] l = new double[experts];
    for (int e = 0; e < experts; e++) l[e] = logits[off + e];
    boolean[] taken = topK(l, topK);
    for (int e = 0; e < experts; e++) weight[off + e] = taken[e] ? (float) (1 / (1 + Math.exp(-l[e]))) : 0f;
  }

  /** The k highest scores, the lower index first among equal ones (as torch.topk on CPU). */
  private static boolean[] topK(double[] scores, int k) {
    boolean[] taken = new boolean[scores.length];
    for (int i = 0; i < k; i++) {
      int best = -1;
      for (int e = 0; e < scores.length; e++) if (!taken[e] && (best < 0 || scores[e] > scores[best])) best = e;
      taken[best] = true;
    }
    return taken;
  }
}

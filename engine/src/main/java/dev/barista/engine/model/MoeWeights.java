package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;
import java.util.List;

/**
 * A mixture-of-experts MLP's tensors: the router [experts, hidden], each expert's gate, up and
 * down projections, and Qwen2-MoE's shared expert with its sigmoid gate [1, hidden] (null where
 * the model has none; GraniteMoeShared's, DeepSeek's and GLM-4.5's shared experts have no gate:
 * they are added as they are).
 *
 * @param scoreCorrectionBias the grouped router's e_score_correction_bias [experts] where {@code
 *     GroupedTopK.scoreCorrection}; null elsewhere
 * @param routerBias GPT-OSS's router bias [experts], added to the router logits; null elsewhere
 * @param gateBias, upBias, downBias GPT-OSS's per-expert projection biases ([I], [I], [hidden]),
 *     one per expert; empty where the experts have none
 */
public record MoeWeights(Tensor router, List<Tensor> gate, List<Tensor> up, List<Tensor> down, Tensor sharedGate,
    Tensor sharedUp, Tensor sharedDown, Tensor sharedExpertGate, Tensor scoreCorrectionBias, Tensor routerBias,
    List<Tensor> gateBias, List<Tensor> upBias, List<Tensor> downBias) {
  public MoeWeights {
    gate = List.copyOf(gate);
    up = List.copyOf(up);
    down = List.copyOf(down);
    gateBias = List.copyOf(gateBias);
    upBias = List.copyOf(upBias);
    downBias = List.copyOf(downBias);
    for (List<Tensor> biases : List.of(gateBias, upBias, downBias)) {
      if (!biases.isEmpty() && biases.size() != gate.size()) {
        throw new IllegalArgumentException(biases.size() + " expert biases for " + gate.size() + " experts");
      }
    }
  }

  /** Experts without biases and a router without one. */
  public MoeWeights(Tensor router, List<Tensor> gate, List<Tensor> up, List<Tensor> down, Tensor sharedGate,
      Tensor sharedUp, Tensor sharedDown, Tensor sharedExpertGate) {
    this(router, gate, up, down, sharedGate, sharedUp, sharedDown, sharedExpertGate, null, null, List.of(), List.of(),
        List.of());
  }

  /** Whether the experts' projections carry biases (GPT-OSS). */
  public boolean expertBiases() {
    return !gateBias.isEmpty();
  }

  public int experts() {
    return gate.size();
  }
}

package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;
import java.util.List;

/**
 * A mixture-of-experts MLP's tensors: the router [experts, hidden], each expert's gate, up and
 * down projections, and Qwen2-MoE's shared expert with its sigmoid gate [1, hidden] (null where
 * the model has none; GraniteMoeShared's, DeepSeek-V3's and GLM-4.5's shared experts have no gate: they
 * are added as they are).
 *
 * @param scoreCorrectionBias the grouped router's e_score_correction_bias [experts] (see
 *     {@code Moe.groupedTopK}); null for softmax routers
 */
public record MoeWeights(Tensor router, List<Tensor> gate, List<Tensor> up, List<Tensor> down, Tensor sharedGate,
    Tensor sharedUp, Tensor sharedDown, Tensor sharedExpertGate, Tensor scoreCorrectionBias) {
  public MoeWeights {
    gate = List.copyOf(gate);
    up = List.copyOf(up);
    down = List.copyOf(down);
  }

  public int experts() {
    return gate.size();
  }
}

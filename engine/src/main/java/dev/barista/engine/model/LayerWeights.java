package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;

/**
 * One decoder layer's tensors. Optional ones (biases, q/k norms) are null when the architecture
 * does not have them. Matrices are [out, in] as Hugging Face stores them.
 */
public record LayerWeights(
    Tensor inputNorm,
    Tensor q,
    Tensor k,
    Tensor v,
    Tensor o,
    Tensor qBias,
    Tensor kBias,
    Tensor vBias,
    Tensor oBias,
    Tensor qNorm,
    Tensor kNorm,
    Tensor postAttentionNorm,
    Tensor gate,
    Tensor up,
    Tensor down,
    Tensor gateBias,
    Tensor upBias,
    Tensor downBias) {}

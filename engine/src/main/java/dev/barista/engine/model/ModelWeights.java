package dev.barista.engine.model;

import dev.barista.engine.weights.Tensor;
import java.util.List;

/**
 * All tensors of a model, resolved and shape-checked against its config.
 *
 * @param lmHead the output projection; the embedding itself when embeddings are tied (and for a
 *     sequence classifier, which has no LM head: its generated token is never used)
 * @param classifier a sequence classifier's score head [num_labels, hidden]; null otherwise
 * @param finalNormBias the final LayerNorm's bias (OPT, GPT-2); null for RMSNorm
 * @param positionEmbedding learned absolute positions [rows, hidden] (OPT, GPT-2); null for rotary
 *     models
 * @param lmHeadBias the LM head's bias (Phi); null for the others
 */
public record ModelWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead,
    Tensor classifier, Tensor finalNormBias, Tensor positionEmbedding, Tensor lmHeadBias) {
  public ModelWeights {
    layers = List.copyOf(layers);
  }

  public ModelWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead, Tensor classifier) {
    this(embedding, layers, finalNorm, lmHead, classifier, null, null, null);
  }

  /** Bytes of every matrix a decode step reads (each layer's projections plus the LM head). */
  public long bytesReadPerToken() {
    long n = lmHead.data().byteSize();
    for (LayerWeights l : layers) {
      for (Tensor t : new Tensor[] {l.q(), l.k(), l.v(), l.o(), l.gate(), l.up(), l.down()}) {
        if (t != null) n += t.data().byteSize();
      }
    }
    return n;
  }
}

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
 * @param embeddingNorm, embeddingNormBias the LayerNorm of the token embeddings before the first
 *     layer (Bloom's word_embeddings_layernorm); null for the others
 */
public record ModelWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead,
    Tensor classifier, Tensor finalNormBias, Tensor positionEmbedding, Tensor lmHeadBias, Tensor embeddingNorm,
    Tensor embeddingNormBias) {
  public ModelWeights {
    layers = List.copyOf(layers);
  }

  /** A model whose embeddings go to the first layer as they are. */
  public ModelWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead, Tensor classifier,
      Tensor finalNormBias, Tensor positionEmbedding, Tensor lmHeadBias) {
    this(embedding, layers, finalNorm, lmHead, classifier, finalNormBias, positionEmbedding, lmHeadBias, null, null);
  }

  public ModelWeights(Tensor embedding, List<LayerWeights> layers, Tensor finalNorm, Tensor lmHead, Tensor classifier) {
    this(embedding, layers, finalNorm, lmHead, classifier, null, null, null);
  }

  /**
   * Bytes of every matrix a one-token decode step reads: each layer's projections (latent attention's
   * included) plus the LM head;
   * in a sparse layer the router, {@code expertsPerToken} experts (all experts are the same size)
   * and the shared expert with its gate.
   */
  public long bytesReadPerToken(int expertsPerToken) {
    long n = lmHead.data().byteSize();
    for (LayerWeights l : layers) {
      n += bytes(l.q(), l.k(), l.v(), l.o(), l.gate(), l.up(), l.down());
      MlaWeights a = l.mla();
      if (a != null) n += bytes(a.q(), a.qA(), a.qB(), a.kvA(), a.kvB());
      MoeWeights m = l.moe();
      if (m != null) {
        n += bytes(m.router(), m.sharedGate(), m.sharedUp(), m.sharedDown(), m.sharedExpertGate());
        n += expertsPerToken * bytes(m.gate().get(0), m.up().get(0), m.down().get(0));
      }
    }
    return n;
  }

  private static long bytes(Tensor... tensors) {
    long n = 0;
    for (Tensor t : tensors) if (t != null) n += t.data().byteSize();
    return n;
  }
}

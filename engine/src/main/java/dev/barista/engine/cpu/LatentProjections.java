package dev.barista.engine.cpu;

import dev.barista.engine.config.Mla;
import dev.barista.engine.model.MlaWeights;
import java.util.List;

/**
 * One layer's latent-attention projections on the CPU (DeepSeek-V2 and V3; see {@link Mla}): queries, and
 * keys and values expanded from the compressed vector, laid out as multi-head attention's with one
 * key and value head per query head. Each query and key head is its unrotated part followed by its
 * rotary part; every key head repeats the token's one shared rotary key. The rotary parts are left
 * for {@link Rope} to rotate.
 *
 * <p>With rope_interleave, transformers gathers each head's rotary pairs (2i, 2i + 1) to (i, i + d/2)
 * before rotating halves; rotating the pairs in place instead permutes the rotated query and key
 * dimensions alike, which leaves every score unchanged.
 */
final class LatentProjections {
  private final Mla mla;
  private final MlaWeights w;
  private final int heads;
  private final double eps;
  private final float[] qANorm;
  private final float[] kvANorm;

  /** @param eps the low-rank norms' epsilon (config's rms_norm_eps, as vLLM takes it) */
  LatentProjections(Mla mla, MlaWeights w, int heads, double eps) {
    this.mla = mla;
    this.w = w;
    this.heads = heads;
    this.eps = eps;
    this.qANorm = w.qANorm() == null ? null : w.qANorm().toFloatArray();
    this.kvANorm = w.kvANorm().toFloatArray();
  }

  /**
   * Projects n rows of {@code xn} into q [n][heads * headDim], k [n][heads * headDim] and
   * v [n][heads * v_head_dim].
   */
  void project(float[] xn, int n, float[] q, float[] k, float[] v) {
    int lora = mla.kvLoraRank();
    int rope = mla.qkRopeHeadDim();
    int nope = mla.qkNopeHeadDim();
    int vDim = mla.vHeadDim();
    int headDim = nope + rope;
    float[] compressed = new float[n * (lora + rope)];
    float[] qLatent = mla.lowRankQueries() ? new float[n * mla.qLoraRank()] : null;
    Matmul.multiplyAll(xn, n, List.of(
        new Matmul.Job(w.kvA(), null, compressed, false),
        qLatent != null ? new Matmul.Job(w.qA(), null, qLatent, false) : new Matmul.Job(w.q(), null, q, false)));
    if (qLatent != null) {
      RmsNorm.apply(qLatent, qLatent, n, mla.qLoraRank(), qANorm, eps);
      Matmul.multiply(qLatent, n, w.qB(), null, q, false);
    }
    float[] latent = new float[n * lora];
    for (int t = 0; t < n; t++) System.arraycopy(compressed, t * (lora + rope), latent, t * lora, lora);
    RmsNorm.apply(latent, latent, n, lora, kvANorm, eps);
    float[] expanded = new float[n * heads * (nope + vDim)];
    Matmul.multiply(latent, n, w.kvB(), null, expanded, false);
    for (int t = 0; t < n; t++) {
      for (int h = 0; h < heads; h++) {
        int head = t * heads + h;
        int from = head * (nope + vDim);
        System.arraycopy(expanded, from, k, head * headDim, nope);
        System.arraycopy(compressed, t * (lora + rope) + lora, k, head * headDim + nope, rope);
        System.arraycopy(expanded, from + nope, v, head * vDim, vDim);
      }
    }
  }
}

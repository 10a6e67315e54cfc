package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.engine.config.Mla;
import dev.barista.engine.config.ModelConfig;

/**
 * DeepSeek's multi-head latent attention projections on the device, as the CPU's
 * LatentProjections computes them: the low-rank query path (or one q_proj), the compressed
 * vector's latent part normalised and expanded by kv_b_proj into each head's unrotated key and
 * value, and the one rotary key every head shares. latent_assemble then lays them out as standard
 * QKV rows (one key and value head per query head, values zero-padded to the key width), so that
 * qkv_prepare, the paged cache and the attention kernels serve the model unchanged. The cache
 * holds the expanded heads, not the latent vector: simple, at the cost of memory.
 */
final class LatentAttention implements AutoCloseable {
  private final Gemm gemm;
  private final Kernels k;
  private final Mla mla;
  private final int hidden;
  private final int heads;
  private final boolean f32;
  private final DeviceBuffers buffers;
  private final long qLatent; // [T, q_lora_rank] where queries are low-rank, else 0
  private final long q; // [T, heads, nope + rope]
  private final long latent; // [T, kv_lora_rank]
  private final long kRope; // [T, rope]
  private final long expanded; // [T, heads, nope + v]

  LatentAttention(CudaDriver d, Gemm gemm, Kernels k, ModelConfig c, int maxTokens, boolean f32) {
    this.gemm = gemm;
    this.k = k;
    this.mla = c.mla();
    this.hidden = c.hiddenSize();
    this.heads = c.numHeads();
    this.f32 = f32;
    this.buffers = new DeviceBuffers(d);
    long t = maxTokens;
    int es = k.elementBytes();
    try {
      qLatent = mla.lowRankQueries() ? buffers.alloc(es * t * mla.qLoraRank()) : 0;
      q = buffers.alloc(es * t * heads * (mla.qkNopeHeadDim() + mla.qkRopeHeadDim()));
      latent = buffers.alloc(es * t * mla.kvLoraRank());
      kRope = buffers.alloc(es * t * mla.qkRopeHeadDim());
      expanded = buffers.alloc(es * t * heads * (mla.qkNopeHeadDim() + mla.vHeadDim()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The QKV rows [tokens, 3 heads, nope + rope] of {@code normed} [tokens, hidden] into {@code qkv}. */
  void project(DeviceWeights.Latent w, long normed, long qkv, int tokens, float eps, long stream) {
    int nope = mla.qkNopeHeadDim(), rope = mla.qkRopeHeadDim(), lora = mla.kvLoraRank();
    int qWidth = heads * (nope + rope);
    if (qLatent != 0) {
      linear(normed, w.qA(), qLatent, tokens, hidden, mla.qLoraRank());
      k.rmsNormStrided(qLatent, tokens, mla.qLoraRank(), mla.qLoraRank(), w.qANorm(), eps, stream);
      linear(qLatent, w.qB(), q, tokens, mla.qLoraRank(), qWidth);
    } else {
      linear(normed, w.q(), q, tokens, hidden, qWidth);
    }
    linear(normed, w.kvALatent(), latent, tokens, hidden, lora);
    linear(normed, w.kvARope(), kRope, tokens, hidden, rope);
    k.rmsNormStrided(latent, tokens, lora, lora, w.kvANorm(), eps, stream);
    linear(latent, w.kvB(), expanded, tokens, lora, heads * (nope + mla.vHeadDim()));
    k.latentAssemble(q, expanded, kRope, qkv, tokens, heads, nope, rope, mla.vHeadDim(), stream);
  }

  private void linear(long x, long weight, long y, int rows, int in, int out) {
    int type = f32 ? CuBlas.R_32F : CuBlas.R_16BF;
    gemm.linear(x, weight, y, rows, in, out, type, type, false);
  }

  @Override
  public void close() {
    buffers.close();
  }
}

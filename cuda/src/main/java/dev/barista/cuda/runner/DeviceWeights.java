package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.engine.config.Mla;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.Multipliers;
import dev.barista.engine.model.LayerWeights;
import dev.barista.engine.model.MlaWeights;
import dev.barista.engine.model.ModelWeights;
import dev.barista.engine.model.MoeWeights;
import dev.barista.engine.weights.DType;
import dev.barista.engine.weights.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's weights in device memory as bf16, or as f32 in the f32 math mode. Projections that read the same input are stored
 * as one matrix so that each is one GEMM: q, k and v rows stacked into qkv; gate and up into
 * gateUp (their biases likewise); a sparse layer's experts are stacked one after another ({@link
 * Experts}). Tied embeddings share one copy with the LM head. Granite's
 * multipliers are folded in on upload: the embedding table times its embedding multiplier, the O
 * and down projections (and their biases) times its residual multiplier, the LM head divided by its
 * logits scaling (tied embeddings then take two copies).
 */
public final class DeviceWeights implements AutoCloseable {
  /**
   * Device pointers of one layer; 0 where the architecture has no such tensor. A sparse layer has
   * {@code experts} in place of gateUp and down (null in a dense layer). {@code sinks}: GPT-OSS's
   * attention sink logits in f32, one per query head. A latent-attention layer has {@code latent}
   * in place of qkv (0), and its o takes value heads zero-padded to the key heads' width.
   */
  public record Layer(
      long inputNorm, long qkv, long qkvBias, long qNorm, long kNorm, long o, long oBias,
      long postNorm, long gateUp, long gateUpBias, long down, long downBias, long attentionOutputNorm,
      long mlpOutputNorm, long inputNormBias, long postNormBias, Experts experts, long sinks, Latent latent) {}

  /**
   * DeepSeek's latent-attention projections (see LatentAttention): q_proj, or q_a_proj with
   * q_a_layernorm and q_b_proj (q 0); kv_a_proj_with_mqa split into its latent rows and its shared
   * rotary-key rows; kv_a_layernorm; kv_b_proj.
   */
  public record Latent(long q, long qA, long qANorm, long qB, long kvALatent, long kvARope, long kvANorm, long kvB) {}

  /**
   * A mixture-of-experts MLP (see moe.cu): the router with Qwen2-MoE's shared-expert gate as one
   * more row ({@code routerRows} = experts or experts + 1); every expert's gate and up rows, expert
   * after expert ([experts][2 I][hidden]); every expert's down ([experts][hidden][I]); the shared
   * expert's gate/up and down (0 where there is none; GraniteMoeShared's has no gate row); the
   * grouped router's score correction in f32 ([experts]; 0 for softmax routers); GPT-OSS's router
   * bias in f32 [experts] and its experts' biases laid out as their matrices' rows ([experts][2 I],
   * [experts][hidden]), 0 where there are none.
   */
  public record Experts(int experts, long router, int routerRows, long gateUp, long down, long sharedGateUp,
      long sharedDown, long scoreCorrection, long routerBias, long gateUpBias, long downBias) {
    public boolean shared() {
      return sharedGateUp != 0;
    }

    /** Whether the shared expert is scaled by the sigmoid of a gate logit (the router's last row). */
    public boolean sharedGated() {
      return routerRows > experts;
    }
  }

  private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final long CHUNK_ELEMENTS = 8L << 20;

  private final CudaDriver d;
  private final List<Long> allocations = new ArrayList<>();
  private final List<Layer> layers = new ArrayList<>();
  private final long embedding;
  private final long finalNorm;
  private final long finalNormBias;
  private final long positionEmbedding;
  private final long lmHeadBias;
  private final long lmHead;
  private final long embeddingNorm;
  private final long embeddingNormBias;
  private final boolean f32;
  private long bytes;

  /**
   * @param f32 keep every weight as f32 (converted from bf16/f16 where stored so)
   * @param config its Granite multipliers are folded in; its latent attention (DeepSeek) pads the
   *     output projection's heads
   */
  public DeviceWeights(CudaDriver d, ModelWeights w, boolean f32, ModelConfig config) {
    this.d = d;
    this.f32 = f32;
    Multipliers m = config.multipliers();
    float residual = (float) m.residual();
    try {
      embedding = stack((float) m.embedding(), w.embedding());
      finalNorm = upload(w.finalNorm());
      finalNormBias = upload(w.finalNormBias());
      positionEmbedding = upload(w.positionEmbedding());
      embeddingNorm = upload(w.embeddingNorm());
      embeddingNormBias = upload(w.embeddingNormBias());
      lmHeadBias = w.lmHeadBias() == null ? 0 : uploadF32(w.lmHeadBias());
      lmHead = w.lmHead() == w.embedding() && m.embedding() == 1 && m.logitsScaling() == 1 ? embedding
          : stack((float) (1 / m.logitsScaling()), w.lmHead());
      Mla mla = config.mla();
      int heads = config.numHeads();
      for (LayerWeights l : w.layers()) {
        layers.add(new Layer(
            upload(l.inputNorm()),
            l.mla() != null ? 0 : stack(l.q(), l.k(), l.v()),
            l.qBias() == null ? 0 : stack(l.qBias(), l.kBias(), l.vBias()),
            upload(l.qNorm()),
            upload(l.kNorm()),
            l.mla() != null ? stackPaddedHeads(residual, l.o(), heads, mla.vHeadDim(), config.headDim()) : stack(residual, l.o()),
            l.oBias() == null ? 0 : stack(residual, l.oBias()),
            upload(l.postAttentionNorm()),
            l.up() == null ? 0 : stack(present(l.gate(), l.up())), // an ungated MLP (OPT, GPT-2): up alone; none in a sparse layer
            l.upBias() == null ? 0 : stack(present(l.gateBias(), l.upBias())),
            l.down() == null ? 0 : stack(residual, l.down()),
            l.downBias() == null ? 0 : stack(residual, l.downBias()),
            upload(l.attentionOutputNorm()),
            upload(l.mlpOutputNorm()),
            upload(l.inputNormBias()),
            upload(l.postAttentionNormBias()),
            l.moe() == null ? null : experts(l.moe(), residual),
            l.sinks() == null ? 0 : uploadF32(l.sinks()),
            l.mla() == null ? null : latent(l.mla(), mla)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private Latent latent(MlaWeights m, Mla mla) {
    int lora = mla.kvLoraRank();
    return new Latent(upload(m.q()), upload(m.qA()), upload(m.qANorm()), upload(m.qB()),
        stack(m.kvA().rowSlice(m.kvA().name() + ".latent", 0, lora)),
        stack(m.kvA().rowSlice(m.kvA().name() + ".rope", lora, mla.qkRopeHeadDim())),
        upload(m.kvANorm()), upload(m.kvB()));
  }

  /**
   * The output projection [hidden, heads * vDim] with each head's columns zero-padded to width
   * {@code D}, times {@code scale}: it reads attention outputs whose value heads were padded alike.
   */
  private long stackPaddedHeads(float scale, Tensor o, int heads, int vDim, int d) {
    long rows = o.shape()[0];
    try (Arena a = Arena.ofConfined()) {
      MemorySegment padded = a.allocate(4 * rows * heads * d, 64);
      for (long r = 0; r < rows; r++) {
        for (int h = 0; h < heads; h++) {
          for (int i = 0; i < vDim; i++) {
            padded.setAtIndex(F32, (r * heads + h) * d + i, o.get((r * heads + h) * vDim + i));
          }
        }
      }
      return stack(scale, new Tensor(o.name() + ".padded", DType.F32, new long[] {rows, (long) heads * d}, padded));
    }
  }

  private Experts experts(MoeWeights m, float residual) {
    List<Tensor> gateUp = new ArrayList<>();
    List<Tensor> gateUpBias = new ArrayList<>();
    for (int e = 0; e < m.experts(); e++) {
      gateUp.add(m.gate().get(e));
      gateUp.add(m.up().get(e));
      if (m.expertBiases()) {
        gateUpBias.add(m.gateBias().get(e));
        gateUpBias.add(m.upBias().get(e));
      }
    }
    boolean shared = m.sharedGate() != null;
    boolean gatedShared = m.sharedExpertGate() != null;
    long router = gatedShared ? stack(m.router(), m.sharedExpertGate()) : stack(m.router());
    return new Experts(m.experts(), router, m.experts() + (gatedShared ? 1 : 0),
        stack(gateUp.toArray(Tensor[]::new)),
        stack(residual, m.down().toArray(Tensor[]::new)),
        shared ? stack(m.sharedGate(), m.sharedUp()) : 0,
        shared ? stack(residual, m.sharedDown()) : 0,
        m.scoreCorrectionBias() == null ? 0 : uploadF32(m.scoreCorrectionBias()),
        m.routerBias() == null ? 0 : uploadF32(m.routerBias()),
        m.expertBiases() ? stack(gateUpBias.toArray(Tensor[]::new)) : 0,
        m.expertBiases() ? stack(residual, m.downBias().toArray(Tensor[]::new)) : 0);
  }

  public List<Layer> layers() {
    return layers;
  }

  public long embedding() {
    return embedding;
  }

  public long finalNorm() {
    return finalNorm;
  }

  /** The final LayerNorm's bias (OPT, GPT-2); 0 for RMSNorm models. */
  public long finalNormBias() {
    return finalNormBias;
  }

  /** The LM head's bias in f32, added to the f32 logits (Phi); 0 for the others. */
  public long lmHeadBias() {
    return lmHeadBias;
  }

  /** Bloom's LayerNorm of the embeddings (weight and bias); 0 for the others. */
  public long embeddingNorm() {
    return embeddingNorm;
  }

  public long embeddingNormBias() {
    return embeddingNormBias;
  }

  /** Learned position rows (OPT, GPT-2); 0 for rotary models. */
  public long positionEmbedding() {
    return positionEmbedding;
  }

  private static Tensor[] present(Tensor... parts) {
    return java.util.Arrays.stream(parts).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
  }

  public long lmHead() {
    return lmHead;
  }

  /** Device bytes the weights take. */
  public long bytes() {
    return bytes;
  }

  private long upload(Tensor t) {
    return t == null ? 0 : stack(t);
  }

  /** {@code t} as f32 in a device allocation of its own, whatever the weights' precision. */
  private long uploadF32(Tensor t) {
    long dst = d.malloc(4 * t.numElements());
    allocations.add(dst);
    bytes += 4 * t.numElements();
    copyAsF32(t, dst, 1f);
    return dst;
  }

  /** One allocation holding the tensors one after another (row-stacked matrices). */
  private long stack(Tensor... parts) {
    return stack(1f, parts);
  }

  /** As above, every element times {@code scale}. */
  private long stack(float scale, Tensor... parts) {
    long total = 0;
    for (Tensor t : parts) total += t.numElements();
    int es = f32 ? 4 : 2;
    long dst = d.malloc(es * total);
    allocations.add(dst);
    bytes += es * total;
    long off = 0;
    for (Tensor t : parts) {
      if (f32) copyAsF32(t, dst + 4 * off, scale);
      else copyAsBf16(t, dst + 2 * off, scale);
      off += t.numElements();
    }
    return dst;
  }

  /** Copies in chunks, widening bf16/f16 to f32 on the way; unscaled f32 goes straight from the file. */
  private void copyAsF32(Tensor t, long dst, float scale) {
    long n = t.numElements();
    MemorySegment src = t.data();
    if (t.dtype() == DType.F32 && scale == 1f) {
      d.copyToDevice(dst, src, 4 * n);
      return;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(4 * Math.min(n, CHUNK_ELEMENTS), 64);
      for (long from = 0; from < n; from += CHUNK_ELEMENTS) {
        long len = Math.min(CHUNK_ELEMENTS, n - from);
        for (long i = 0; i < len; i++) {
          buf.set(F32, 4 * i, element(t, src, from + i) * scale);
        }
        d.copyToDevice(dst + 4 * from, buf, 4 * len);
      }
    }
  }

  /** Copies in chunks, converting f32/f16 to bf16 on the way; unscaled bf16 goes straight from the file. */
  private void copyAsBf16(Tensor t, long dst, float scale) {
    long n = t.numElements();
    MemorySegment src = t.data();
    if (t.dtype() == DType.BF16 && scale == 1f) {
      d.copyToDevice(dst, src, 2 * n);
      return;
    }
    try (Arena a = Arena.ofConfined()) {
      MemorySegment buf = a.allocate(2 * Math.min(n, CHUNK_ELEMENTS), 64);
      for (long from = 0; from < n; from += CHUNK_ELEMENTS) {
        long len = Math.min(CHUNK_ELEMENTS, n - from);
        for (long i = 0; i < len; i++) {
          buf.set(I16, 2 * i, Bf16.fromFloat(element(t, src, from + i) * scale));
        }
        d.copyToDevice(dst + 2 * from, buf, 2 * len);
      }
    }
  }

  private static float element(Tensor t, MemorySegment src, long i) {
    return switch (t.dtype()) {
      case F32 -> src.get(F32, 4 * i);
      case BF16 -> Bf16.toFloat(src.get(I16, 2 * i));
      case F16 -> Float.float16ToFloat(src.get(I16, 2 * i));
    };
  }

  @Override
  public void close() {
    for (long p : allocations) d.free(p);
    allocations.clear();
  }
}

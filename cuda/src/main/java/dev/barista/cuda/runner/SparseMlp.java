package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CuBlas;
import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.ExpertKernels;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.engine.config.Activation;
import dev.barista.engine.config.ExpertScoring;
import dev.barista.engine.config.GroupRanking;
import dev.barista.engine.config.GroupedTopK;
import dev.barista.engine.config.SwigluClamp;
import dev.barista.engine.config.Moe;
import java.lang.foreign.Arena;

/**
 * A sparse layer's MLP on the device (Mixtral, Qwen2-MoE, Qwen3-MoE, GLM-4.5, GPT-OSS), as the CPU's
 * MixtureOfExperts computes it: the router's logits in f32 through cuBLAS, then moe.cu's routing,
 * grouping, expert projections and weighted sum; Qwen2-MoE's shared expert through cuBLAS like a
 * dense MLP, scaled by the sigmoid of its gate logit (the router's extra column), GraniteMoeShared's
 * added as it is. Its buffers are
 * sized once for the most tokens a step holds, so decode graphs capture it like the dense layers.
 */
final class SparseMlp implements AutoCloseable {
  private final Gemm gemm;
  private final Kernels k;
  private final ExpertKernels experts;
  private final Moe moe;
  private final Activation activation;
  private final int hidden;
  private final boolean f32;
  private final DeviceBuffers buffers;
  private final long routerLogits; // [T, experts (+ 1 shared gate)] f32
  private final long choice; // [T, k] expert ids
  private final long weight; // [T, k] f32
  private final long offsets; // [experts + 1]
  private final long rowToken; // [T k] token of each grouped row
  private final long pairRow; // [T k] grouped row of each (token, choice)
  private final long expertAct; // [T k, expert intermediate]
  private final long expertOut; // [T k, hidden]
  private final long sharedOut; // [T, hidden] where the model has a shared expert, else 0
  private final long rowPair; // [T k] pair of each grouped row, where router scores scale the inputs (Llama 4), else 0
  private final long unitWeights; // [T k] ones: the sum of such experts' outputs is unweighted; else 0
  private final ExpertKernels.Routing routing;

  SparseMlp(CudaDriver d, Arena arena, Gemm gemm, Kernels k, Moe moe, Activation activation, int hidden, int maxTokens,
      boolean f32) {
    String unsupported = ExpertKernels.unsupported(moe.experts(), moe.topK());
    if (unsupported != null) throw new IllegalArgumentException("the CUDA runner does not take " + unsupported);
    this.buffers = new DeviceBuffers(d);
    this.gemm = gemm;
    this.k = k;
    this.moe = moe;
    this.activation = activation;
    this.hidden = hidden;
    this.f32 = f32;
    this.experts = new ExpertKernels(d, arena, f32);
    this.routing = routing(moe);
    long t = maxTokens;
    long pairs = t * moe.topK();
    int es = k.elementBytes();
    try {
      routerLogits = alloc(4 * t * (moe.experts() + 1L));
      choice = alloc(4 * pairs);
      weight = alloc(4 * pairs);
      offsets = alloc(4L * (moe.experts() + 1));
      rowToken = alloc(4 * pairs);
      pairRow = alloc(4 * pairs);
      expertAct = alloc(es * pairs * moe.expertIntermediate());
      expertOut = alloc(es * pairs * hidden);
      sharedOut = moe.sharedIntermediate() > 0 ? alloc(es * t * hidden) : 0;
      rowPair = moe.sigmoidScaledInputs() ? alloc(4 * pairs) : 0;
      unitWeights = moe.sigmoidScaledInputs() ? alloc(4 * pairs) : 0;
      if (unitWeights != 0) {
        float[] ones = new float[(int) pairs];
        java.util.Arrays.fill(ones, 1f);
        dev.barista.cuda.driver.Transfers.write(d, unitWeights, ones);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * moe.cu's routing for {@code moe}'s router: softmax scores (Mixtral, the Qwen MoEs, GPT-OSS,
   * DeepSeek-V2; ERNIE 4.5 with a correction for choosing) or sigmoid ones with their correction
   * (DeepSeek-V3, GLM-4.5), over expert groups ranked by their best expert (V2) or the sum of their
   * best two (V3). The correction itself comes with the weights (scoreCorrection).
   */
  static ExpertKernels.Routing routing(Moe moe) {
    // Llama 4: the top k by logit, each weighted by its sigmoid (applied to the expert's input)
    if (moe.sigmoidScaledInputs()) return new ExpertKernels.Routing(false, true, 1, 1, false, 1f);
    GroupedTopK g = moe.groupedTopK();
    if (g == null) return ExpertKernels.Routing.softmax(moe.normalizeTopK());
    return new ExpertKernels.Routing(moe.normalizeTopK(), g.scoring() == ExpertScoring.SIGMOID, g.groups(),
        g.topKGroups(), g.ranking() == GroupRanking.BEST_EXPERT, (float) g.routedScalingFactor());
  }

  /**
   * out[t] = the layer's MLP of in[t] for {@code tokens} rows of hidden width. The shared expert
   * uses {@code gateUpScratch} and {@code actScratch} (rows of 2 x and 1 x its intermediate size).
   */
  void run(DeviceWeights.Experts x, long in, long out, long gateUpScratch, long actScratch, int tokens, long stream) {
    int type = f32 ? CuBlas.R_32F : CuBlas.R_16BF;
    int ld = x.routerRows();
    gemm.linear(in, x.router(), routerLogits, tokens, hidden, ld, type, CuBlas.R_32F, false);
    experts.route(routerLogits, ld, x.experts(), moe.topK(), routing, x.routerBias(), x.scoreCorrection(), choice, weight,
        tokens, stream);
    experts.plan(choice, tokens * moe.topK(), moe.topK(), x.experts(), offsets, rowToken, pairRow, rowPair, stream);
    int inter = moe.expertIntermediate();
    SwigluClamp clamp = moe.swigluClamp();
    experts.gemm(in, rowToken, offsets, x.gateUp(), x.gateUpBias(), expertAct, inter, hidden, activation,
        clamp == null ? 0 : (float) clamp.alpha(), clamp == null ? 0 : (float) clamp.limit(), rowPair == 0 ? 0 : weight,
        rowPair, x.experts(), tokens, stream);
    experts.gemm(expertAct, 0, offsets, x.down(), x.downBias(), expertOut, hidden, inter, null, x.experts(), tokens,
        stream);
    if (x.shared()) {
      int shared = moe.sharedIntermediate();
      gemm.linear(in, x.sharedGateUp(), gateUpScratch, tokens, hidden, 2 * shared, type, type, false);
      k.actMul(gateUpScratch, actScratch, tokens, shared, activation, stream);
      gemm.linear(actScratch, x.sharedDown(), sharedOut, tokens, shared, hidden, type, type, false);
    }
    experts.combine(expertOut, pairRow, unitWeights != 0 ? unitWeights : weight, moe.topK(), x.shared() ? sharedOut : 0,
        x.sharedGated() ? routerLogits + 4L * x.experts() : 0, ld, out, tokens, hidden, stream);
  }

  private long alloc(long bytes) {
    return buffers.alloc(bytes);
  }

  @Override
  public void close() {
    buffers.close();
  }
}

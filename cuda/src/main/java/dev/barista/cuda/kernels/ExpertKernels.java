package dev.barista.cuda.kernels;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.engine.config.Activation;
import java.lang.foreign.Arena;

/**
 * Launches of the mixture-of-experts kernels (moe.cu): routing, grouping the chosen rows by expert,
 * the experts' projections over their grouped rows, and the weighted sum back into token rows. No
 * launch reads anything back to the host, so a sparse layer runs inside decode graphs. Not
 * thread-safe: one per stream, like {@link Kernels}.
 */
public final class ExpertKernels {
  /** The most experts a token may take (MOE_MAX_K) and a layer may have (moe_plan's shared memory). */
  public static final int MAX_TOP_K = 16;
  public static final int MAX_EXPERTS = 256;
  /** Rows and columns of a moe_gemm block (MOE_BM, MOE_BN); moe_mma's blocks are MMA_ROW_TILE rows tall (MMA_BM). */
  static final int ROW_TILE = 32;
  static final int MMA_ROW_TILE = 64;
  static final int COLUMN_TILE = 64;
  static final int PLAN_THREADS = 1024;
  /** Most tokens of a step that takes moe_gemv (SKINNY_ROWS), and the columns one of its blocks takes. */
  static final int SKINNY_ROWS = 8;
  static final int SKINNY_BLOCK_COLUMNS = 8 * 2;
  /** System property: {@code false} sends small steps through the tiles too (for comparisons). */
  public static final String SKINNY_PROPERTY = "barista.cuda.moeGemv";
  /** System property: {@code false} keeps bf16 tiles on CUDA cores (moe_gemm) instead of moe_mma. */
  public static final String MMA_PROPERTY = "barista.cuda.moeMma";

  private final KernelArgs args;
  private final Kernel route;
  private final Kernel plan;
  private final Kernel gemm;
  private final Kernel gemv;
  private final Kernel mma; // null in the f32 math mode
  private final boolean skinny = BooleanProperty.on(SKINNY_PROPERTY);
  private final boolean tensorCores = BooleanProperty.on(MMA_PROPERTY);
  private final Kernel combine;

  /** @param f32 the float entries of the f32 math mode, else bf16 */
  public ExpertKernels(CudaDriver driver, Arena arena, boolean f32) {
    String sfx = f32 ? "_f32" : "";
    args = new KernelArgs(arena);
    KernelModule module = KernelModule.load(driver, "moe");
    route = module.kernel("moe_route");
    plan = module.kernel("moe_plan");
    gemm = module.kernel("moe_gemm" + sfx);
    gemv = module.kernel("moe_gemv" + sfx);
    mma = f32 ? null : module.kernel("moe_mma");
    combine = module.kernel("moe_combine" + sfx);
  }

  /** Why a layer of {@code experts} experts taking {@code topK} each cannot run here, or null. */
  public static String unsupported(int experts, int topK) {
    if (experts > MAX_EXPERTS) return experts + " experts (the kernels take up to " + MAX_EXPERTS + ")";
    if (topK > MAX_TOP_K || topK > experts) return "top " + topK + " of " + experts + " experts";
    return null;
  }

  /**
   * How a router turns its logits into choices and weights (moe.cu's moe_route).
   *
   * @param normalize the chosen weights are renormalised to sum to 1
   * @param sigmoid independent sigmoid scores, chosen by score plus a correction (DeepSeek-V3's
   *     "noaux_tc"); else the softmax over all experts
   * @param groups, keptGroups experts may be chosen only within the best {@code keptGroups} of
   *     {@code groups} equal groups (1 and 1: no groups)
   * @param groupMax a group ranks by its best expert (DeepSeek-V2's group-limited greedy), else by
   *     the sum of its best two (V3)
   * @param scale the factor on the final weights (routed_scaling_factor)
   */
  public record Routing(boolean normalize, boolean sigmoid, int groups, int keptGroups, boolean groupMax, float scale) {
    /** The softmax router of Mixtral and the Qwen MoEs. */
    public static Routing softmax(boolean normalize) {
      return new Routing(normalize, false, 1, 1, false, 1f);
    }
  }

  /**
   * Each token's top {@code topK} of {@code experts} router logits (f32 rows of {@code ld}
   * columns) as {@code routing} says: expert ids into {@code choice} and weights into {@code
   * weight}, both [tokens, topK]. {@code logitBias} (f32 [experts]) is added to the logits and
   * {@code correction} (f32 [experts]) to sigmoid scores for choosing; 0 for none.
   */
  public void route(long logits, int ld, int experts, int topK, Routing routing, long logitBias, long correction,
      long choice, long weight, int tokens, long stream) {
    packRoute(args, logits, ld, experts, topK, routing, logitBias, correction, choice, weight);
    route.launch(tokens, 1, 1, 32, 0, stream, args);
  }

  /** moe_route's parameters in the order of its signature. */
  static KernelArgs packRoute(KernelArgs args, long logits, int ld, int experts, int topK, Routing routing, long logitBias,
      long correction, long choice, long weight) {
    if (routing.groups() < 1 || routing.groups() > 32 || experts % routing.groups() != 0
        || (routing.groups() > 1 && experts / routing.groups() < 2) || routing.keptGroups() < 1
        || routing.keptGroups() > routing.groups()) {
      throw new IllegalArgumentException("expert groups: " + routing.keptGroups() + " of " + routing.groups()
          + " groups of " + experts + " experts (up to 32 groups of at least 2)");
    }
    return args.reset().ptr(logits).i32(ld).i32(experts).i32(topK).i32(routing.normalize() ? 1 : 0).ptr(logitBias)
        .i32(routing.sigmoid() ? 1 : 0).ptr(correction).i32(routing.groups()).i32(routing.keptGroups())
        .i32(routing.groupMax() ? 1 : 0).f32(routing.scale()).ptr(choice).ptr(weight);
  }

  /**
   * Groups the {@code pairs} chosen (token, expert) pairs by expert: {@code offsets} [experts + 1],
   * {@code rowToken} and {@code pairRow} [pairs] (see moe.cu).
   */
  public void plan(long choice, int pairs, int topK, int experts, long offsets, long rowToken, long pairRow, long stream) {
    plan(choice, pairs, topK, experts, offsets, rowToken, pairRow, 0, stream);
  }

  /** As above, and {@code rowPair} [pairs]: the pair of each grouped row (0: not wanted). */
  public void plan(long choice, int pairs, int topK, int experts, long offsets, long rowToken, long pairRow, long rowPair,
      long stream) {
    args.reset().ptr(choice).i32(pairs).i32(topK).i32(experts).ptr(offsets).ptr(rowToken).ptr(pairRow).ptr(rowPair);
    plan.launch(1, 1, 1, PLAN_THREADS, planSharedBytes(experts), stream, args);
  }

  static int planSharedBytes(int experts) {
    return 4 * (2 + PLAN_THREADS / 32) * experts;
  }

  /**
   * Every expert's projection over its grouped rows: {@code out[r] = w_e · x[rowToken[r]]} (rowToken
   * 0: x[r]) with [n, k] matrices, or with {@code activation} given the gated form act(gate) * up
   * over [2n, k] ones; plus the expert's bias ([n], gated [2n]; {@code bias} 0: none). {@code maxRows} bounds any expert's rows (the step's tokens): up to
   * {@value #SKINNY_ROWS} (and k a multiple of 8) the warp-per-column kernel takes it.
   */
  public void gemm(long x, long rowToken, long offsets, long weights, long bias, long out, int n, int k,
      Activation activation, int experts, int maxRows, long stream) {
    gemm(x, rowToken, offsets, weights, bias, out, n, k, activation, 0, 0, experts, maxRows, stream);
  }

  /**
   * As above; a positive {@code clampLimit} replaces the gated activation by GPT-OSS's clamped
   * SwiGLU with slope {@code clampAlpha} (see SwigluClamp).
   */
  public void gemm(long x, long rowToken, long offsets, long weights, long bias, long out, int n, int k,
      Activation activation, float clampAlpha, float clampLimit, int experts, int maxRows, long stream) {
    gemm(x, rowToken, offsets, weights, bias, out, n, k, activation, clampAlpha, clampLimit, 0, 0, experts, maxRows,
        stream);
  }

  /**
   * As above; where {@code rowWeight} is not 0, grouped row r's input is scaled by
   * rowWeight[rowPair[r]] before the gated products (Llama 4's router scores its experts' inputs).
   */
  public void gemm(long x, long rowToken, long offsets, long weights, long bias, long out, int n, int k,
      Activation activation, float clampAlpha, float clampLimit, long rowWeight, long rowPair, int experts, int maxRows,
      long stream) {
    args.reset().ptr(x).ptr(rowToken).ptr(offsets).ptr(weights).ptr(bias).ptr(out).i32(n).i32(k)
        .i32(activation == null ? 0 : 1).i32(activation == null ? 0 : activation.ordinal())
        .f32(clampAlpha).f32(clampLimit).ptr(rowWeight).ptr(rowPair);
    switch (path(maxRows, k)) {
      case "moe_gemv" -> gemv.launch(Kernels.ceilDiv(n, SKINNY_BLOCK_COLUMNS), experts, 1, 256, 0, stream, args);
      case "moe_mma" -> mma.launch(Kernels.ceilDiv(n, COLUMN_TILE), Kernels.ceilDiv(maxRows, MMA_ROW_TILE), experts, 128,
          0, stream, args);
      default -> gemm.launch(Kernels.ceilDiv(n, COLUMN_TILE), Kernels.ceilDiv(maxRows, ROW_TILE), experts, 256, 0, stream,
          args);
    }
  }

  /**
   * The kernel a product of {@code rows} rows at most and width {@code k} goes through: moe_gemv up
   * to {@value #SKINNY_ROWS} rows, else moe_mma in bf16; both read 16-byte pieces (k a multiple of
   * 8). moe_gemm otherwise.
   */
  public String path(int rows, int k) {
    if (k % 8 != 0) return "moe_gemm";
    if (skinny && rows <= SKINNY_ROWS) return "moe_gemv";
    return mma != null && tensorCores ? "moe_mma" : "moe_gemm";
  }

  /**
   * {@code out[t] = Σ_k weight[t, k] · rows[pairRow[t, k]]} over [tokens, hidden], plus
   * sigmoid(sharedLogits[t · ld]) · shared[t] where {@code shared} is not 0 (shared[t] itself where
   * {@code sharedLogits} is 0).
   */
  public void combine(long rows, long pairRow, long weight, int topK, long shared, long sharedLogits, int ld, long out,
      int tokens, int hidden, long stream) {
    args.reset().ptr(rows).ptr(pairRow).ptr(weight).i32(topK).ptr(shared).ptr(sharedLogits).i32(ld).ptr(out).i32(hidden);
    combine.launch(Math.min(Kernels.ceilDiv(hidden, 256), 16), tokens, 1, 256, 0, stream, args);
  }
}

package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.randomBf16;
import static dev.barista.cuda.check.Reference.relError;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.Transfers;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.cuda.kernels.ExpertKernels;
import dev.barista.engine.config.Activation;
import dev.barista.engine.config.SwigluClamp;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The mixture-of-experts kernels (moe.cu) against references written here: routing (ties, a NaN
 * logit, more experts than a warp's lanes), the grouping by expert over more pairs than one round
 * of the plan's block, the gated and plain expert projections, and the weighted sum with and
 * without a shared expert.
 */
final class ExpertChecks {
  private final CudaDriver d;
  private final boolean f32;
  private final CheckBuffers buf;
  private final long stream;
  private final Random rnd;
  private ExpertKernels ek;

  ExpertChecks(CudaDriver d, boolean f32, CheckBuffers buf, long stream, Random rnd) {
    this.d = d;
    this.f32 = f32;
    this.buf = buf;
    this.stream = stream;
    this.rnd = rnd;
  }

  List<CheckResult> run() {
    List<CheckResult> r = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      ek = new ExpertKernels(d, arena, f32);
      if (!f32) { // routing and grouping take no element type: checked once
        r.add(check(() -> route(7, 8, 2, true)));
        r.add(check(() -> route(5, 60, 4, false)));
        r.add(check(() -> route(3, 8, 8, true)));
        r.add(check(() -> route(6, 32, 4, true, true))); // GPT-OSS: a bias on the router's logits
        // DeepSeek-V3 / GLM-4.5: sigmoid scores, a correction, groups, a scale
        r.add(check(() -> sigmoidRoute(7, 8, 2, 2, 1, true, 2.5f)));
        r.add(check(() -> sigmoidRoute(5, 256, 8, 8, 4, true, 2.5f)));
        r.add(check(() -> sigmoidRoute(4, 64, 6, 1, 1, false, 1f)));
        // DeepSeek-V2's group-limited greedy: softmax, groups ranked by their best expert
        r.add(check(() -> groupLimitedRoute(7, 8, 2, 4, 2, false, 1.5f)));
        r.add(check(() -> groupLimitedRoute(5, 160, 6, 8, 3, true, 1f)));
        r.add(check(() -> correctedSoftmaxRoute(6, 64, 8))); // ERNIE 4.5 MoE
        r.add(check(() -> plan(1500, 2, 8)));
        r.add(check(() -> plan(300, 4, 64)));
        r.add(check(() -> plan(5, 2, 128)));
      }
      r.add(check(() -> gemm(40, 100, 72, 4, 2, Activation.SILU)));
      r.add(check(() -> gemm(3, 64, 96, 8, 2, Activation.GELU_TANH)));
      r.add(check(() -> gemm(70, 96, 130, 4, 1, null)));
      r.add(check(() -> gemm(8, 128, 100, 4, 4, Activation.SILU))); // up to 8 rows an expert: moe_gemv
      r.add(check(() -> gemm(5, 96, 130, 4, 2, null)));
      r.add(check(() -> gemm(1, 2048, 1408, 60, 4, Activation.SILU))); // a Qwen1.5-MoE decode step's shape
      r.add(check(() -> gemm(100, 128, 200, 4, 2, Activation.SILU))); // bf16: moe_mma, a partial column tile
      r.add(check(() -> gemm(64, 2048, 1408, 60, 4, Activation.SILU))); // a batch-64 step of Qwen1.5-MoE
      r.add(check(() -> gemm(64, 1408, 2048, 60, 4, null)));
      r.add(check(() -> gemm(300, 64, 96, 4, 2, Activation.SILU))); // experts of ~150 rows: several row tiles
      r.add(check(() -> gemm(300, 96, 64, 4, 2, null)));
      // expert biases (GPT-OSS), on each of the three kernels' paths
      r.add(check(() -> gemm(3, 64, 96, 8, 2, Activation.SILU, true)));
      r.add(check(() -> gemm(40, 64, 96, 8, 2, Activation.SILU, true)));
      r.add(check(() -> gemm(40, 96, 64, 8, 2, null, true)));
      r.add(check(() -> gemm(70, 30, 50, 4, 2, Activation.SILU, true)));
      // GPT-OSS's clamped SwiGLU (the inputs' spread reaches the limit of 1.5 used here)
      var clamp = new SwigluClamp(SwigluClamp.GPT_OSS_ALPHA, 1.5);
      r.add(check(() -> gemm(3, 64, 96, 8, 2, Activation.SILU, true, clamp)));
      r.add(check(() -> gemm(40, 64, 96, 8, 2, Activation.SILU, true, clamp)));
      r.add(check(() -> gemm(70, 30, 50, 4, 2, Activation.SILU, true, clamp)));
      // Llama 4: router scores scale the experts' inputs, on each kernel's path
      r.add(check(() -> gemm(3, 64, 96, 8, 1, Activation.SILU, false, null, true)));
      r.add(check(() -> gemm(100, 64, 96, 8, 1, Activation.SILU, false, null, true)));
      r.add(check(() -> gemm(70, 30, 50, 4, 1, Activation.SILU, false, null, true)));
      r.add(check(() -> combine(9, 100, 4, 2, false)));
      r.add(check(() -> combine(6, 64, 8, 4, true)));
      r.add(check(() -> combine(5, 64, 8, 2, true, false))); // GraniteMoeShared: no gate
    }
    return r;
  }

  private static CheckResult check(Supplier<CheckResult> c) {
    return CheckResult.printed("moe exception", c);
  }

  private String sfx() {
    return f32 ? " f32" : "";
  }

  private double tol() {
    return f32 ? KernelChecks.F32_TOL : KernelChecks.BF16_TOL;
  }

  private long upT(short[] bf16) {
    if (!f32) return buf.up(bf16);
    float[] f = new float[bf16.length];
    for (int i = 0; i < f.length; i++) f[i] = Bf16.toFloat(bf16[i]);
    return buf.up(f);
  }

  private double[] readT(long p, int n) {
    return f32 ? buf.readF32(p, n) : buf.readBf16(p, n);
  }

  CheckResult route(int tokens, int experts, int topK, boolean normalize) {
    return route(tokens, experts, topK, normalize, false);
  }

  /**
   * Row 0 ties its two largest logits; row 1 has a NaN (which no expert choice may take); {@code
   * biased}: a random bias on every expert's logit.
   */
  CheckResult route(int tokens, int experts, int topK, boolean normalize, boolean biased) {
    float[] bias = new float[experts];
    if (biased) for (int e = 0; e < experts; e++) bias[e] = (rnd.nextFloat() - 0.5f) * 4;
    float[] logits = new float[tokens * experts];
    for (int i = 0; i < logits.length; i++) logits[i] = (rnd.nextFloat() - 0.5f) * 8;
    logits[1] = 5f - bias[1];
    logits[3] = 5f - bias[3];
    if (tokens > 1) logits[experts + 2] = Float.NaN;
    int[] wantChoice = new int[tokens * topK];
    double[] wantWeight = new double[tokens * topK];
    for (int t = 0; t < tokens; t++) {
      double[] p = new double[experts];
      double max = Double.NEGATIVE_INFINITY, sum = 0;
      for (int e = 0; e < experts; e++) max = Math.max(max, clean(logits[t * experts + e] + bias[e]));
      for (int e = 0; e < experts; e++) sum += p[e] = Math.exp(clean(logits[t * experts + e] + bias[e]) - max);
      boolean[] taken = new boolean[experts];
      double kept = 0;
      for (int k = 0; k < topK; k++) {
        int best = -1;
        for (int e = 0; e < experts; e++) if (!taken[e] && (best < 0 || p[e] > p[best])) best = e;
        taken[best] = true;
        wantChoice[t * topK + k] = best;
        wantWeight[t * topK + k] = p[best] / sum;
        kept += p[best] / sum;
      }
      if (normalize) for (int k = 0; k < topK; k++) wantWeight[t * topK + k] /= kept;
    }
    return compareRoute(String.format("moe_route T=%d E=%d top %d%s%s", tokens, experts, topK,
        normalize ? " normalised" : "", biased ? " biased" : ""), logits, tokens, experts, topK,
        ExpertKernels.Routing.softmax(normalize), biased ? bias : null, null, wantChoice, wantWeight);
  }

  /**
   * Routes {@code logits} on the device and compares its choices exactly, and its weights within
   * 1e-5, with the reference's.
   */
  private CheckResult compareRoute(String name, float[] logits, int tokens, int experts, int topK,
      ExpertKernels.Routing routing, float[] logitBias, float[] correction, int[] wantChoice, double[] wantWeight) {
    long choice = buf.poisoned(4L * tokens * topK), weight = buf.poisoned(4L * tokens * topK);
    ek.route(buf.up(logits), experts, experts, topK, routing, logitBias == null ? 0 : buf.up(logitBias),
        correction == null ? 0 : buf.up(correction), choice, weight, tokens, stream);
    d.synchronize(stream);
    int[] gotChoice = Transfers.readInts(d, choice, tokens * topK);
    double[] gotWeight = Reference.toDoubles(Transfers.readFloats(d, weight, tokens * topK));
    boolean same = Arrays.equals(gotChoice, wantChoice);
    return new CheckResult(name, same ? relError(gotWeight, wantWeight) : Double.POSITIVE_INFINITY, 1e-5,
        same ? "" : "choices " + Arrays.toString(gotChoice) + " want " + Arrays.toString(wantChoice));
  }

  /**
   * Sigmoid routing as DeepSeek-V3's router does it: choice values sigmoid(logit) + correction;
   * groups ranked by the sum of their two best values, the best {@code keptGroups} kept and the
   * others' experts out of the choice; the top k by value; weights the chosen sigmoids,
   * renormalised (sum + 1e-20) where asked, times {@code scale}. Row 0 ties two experts.
   */
  CheckResult sigmoidRoute(int tokens, int experts, int topK, int groups, int keptGroups, boolean normalize, float scale) {
    float[] correction = new float[experts];
    for (int e = 0; e < experts; e++) correction[e] = (rnd.nextFloat() - 0.5f) * 0.4f;
    float[] logits = new float[tokens * experts];
    for (int i = 0; i < logits.length; i++) logits[i] = (rnd.nextFloat() - 0.5f) * 8;
    correction[3] = correction[1];
    logits[3] = logits[1] = 6f;
    var routing = new ExpertKernels.Routing(normalize, true, groups, keptGroups, false, scale);
    int[] wantChoice = new int[tokens * topK];
    double[] wantWeight = new double[tokens * topK];
    int size = experts / groups;
    for (int t = 0; t < tokens; t++) {
      float[] score = new float[experts], value = new float[experts];
      for (int e = 0; e < experts; e++) {
        score[e] = (float) (1 / (1 + Math.exp(-logits[t * experts + e])));
        value[e] = score[e] + correction[e];
      }
      if (groups > 1) {
        double[] groupScore = new double[groups];
        for (int g = 0; g < groups; g++) {
          float[] members = Arrays.copyOfRange(value, g * size, (g + 1) * size);
          Arrays.sort(members);
          groupScore[g] = members[size - 1] + members[size - 2];
        }
        boolean[] keptGroup = new boolean[groups];
        for (int i = 0; i < keptGroups; i++) {
          int best = -1;
          for (int g = 0; g < groups; g++) if (!keptGroup[g] && (best < 0 || groupScore[g] > groupScore[best])) best = g;
          keptGroup[best] = true;
        }
        for (int e = 0; e < experts; e++) if (!keptGroup[e / size]) value[e] = Float.NEGATIVE_INFINITY;
      }
      boolean[] taken = new boolean[experts];
      double sum = 0;
      for (int k = 0; k < topK; k++) {
        int best = -1;
        for (int e = 0; e < experts; e++) if (!taken[e] && (best < 0 || value[e] > value[best])) best = e;
        taken[best] = true;
        wantChoice[t * topK + k] = best;
        sum += wantWeight[t * topK + k] = score[best];
      }
      for (int k = 0; k < topK; k++) {
        wantWeight[t * topK + k] = (normalize ? wantWeight[t * topK + k] / (sum + 1e-20) : wantWeight[t * topK + k]) * scale;
      }
    }
    return compareRoute(String.format("moe_route sigmoid T=%d E=%d top %d, %d of %d groups%s scale %.1f", tokens,
        experts, topK, keptGroups, groups, normalize ? " normalised" : "", scale), logits, tokens, experts, topK, routing,
        null, correction, wantChoice, wantWeight);
  }

  private static double clean(float v) {
    return Float.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }

  /**
   * DeepSeek-V2's group-limited greedy routing: the softmax over all experts; groups ranked by
   * their best probability, the best {@code keptGroups} kept; the top k of their experts; weights
   * the probabilities, renormalised where asked, times {@code scale}.
   */
  CheckResult groupLimitedRoute(int tokens, int experts, int topK, int groups, int keptGroups, boolean normalize,
      float scale) {
    float[] logits = new float[tokens * experts];
    for (int i = 0; i < logits.length; i++) logits[i] = (rnd.nextFloat() - 0.5f) * 8;
    var routing = new ExpertKernels.Routing(normalize, false, groups, keptGroups, true, scale);
    int[] wantChoice = new int[tokens * topK];
    double[] wantWeight = new double[tokens * topK];
    int size = experts / groups;
    for (int t = 0; t < tokens; t++) {
      double max = Double.NEGATIVE_INFINITY, sum = 0;
      double[] p = new double[experts];
      for (int e = 0; e < experts; e++) max = Math.max(max, logits[t * experts + e]);
      for (int e = 0; e < experts; e++) sum += p[e] = Math.exp(logits[t * experts + e] - max);
      for (int e = 0; e < experts; e++) p[e] /= sum;
      double[] best = new double[groups];
      Arrays.fill(best, Double.NEGATIVE_INFINITY);
      for (int e = 0; e < experts; e++) best[e / size] = Math.max(best[e / size], p[e]);
      boolean[] kept = new boolean[groups];
      for (int i = 0; i < keptGroups; i++) {
        int g = -1;
        for (int j = 0; j < groups; j++) if (!kept[j] && (g < 0 || best[j] > best[g])) g = j;
        kept[g] = true;
      }
      boolean[] taken = new boolean[experts];
      double chosen = 0;
      for (int k = 0; k < topK; k++) {
        int b = -1;
        for (int e = 0; e < experts; e++) if (kept[e / size] && !taken[e] && (b < 0 || p[e] > p[b])) b = e;
        taken[b] = true;
        wantChoice[t * topK + k] = b;
        chosen += wantWeight[t * topK + k] = p[b];
      }
      for (int k = 0; k < topK; k++) {
        wantWeight[t * topK + k] = (normalize ? wantWeight[t * topK + k] / chosen : wantWeight[t * topK + k]) * scale;
      }
    }
    return compareRoute(String.format("moe_route group-limited T=%d E=%d top %d, %d of %d groups%s scale %.1f", tokens,
        experts, topK, keptGroups, groups, normalize ? " normalised" : "", scale), logits, tokens, experts, topK, routing,
        null, null, wantChoice, wantWeight);
  }

  /**
   * ERNIE 4.5 MoE's routing: softmax probabilities plus a correction choose the top k; the weights
   * are the uncorrected probabilities, renormalised.
   */
  CheckResult correctedSoftmaxRoute(int tokens, int experts, int topK) {
    float[] correction = new float[experts];
    for (int e = 0; e < experts; e++) correction[e] = (rnd.nextFloat() - 0.5f) * 0.1f;
    float[] logits = new float[tokens * experts];
    for (int i = 0; i < logits.length; i++) logits[i] = (rnd.nextFloat() - 0.5f) * 8;
    int[] wantChoice = new int[tokens * topK];
    double[] wantWeight = new double[tokens * topK];
    for (int t = 0; t < tokens; t++) {
      double max = Double.NEGATIVE_INFINITY, sum = 0;
      double[] p = new double[experts];
      for (int e = 0; e < experts; e++) max = Math.max(max, logits[t * experts + e]);
      for (int e = 0; e < experts; e++) sum += p[e] = Math.exp(logits[t * experts + e] - max);
      boolean[] taken = new boolean[experts];
      double chosen = 0;
      for (int k = 0; k < topK; k++) {
        int b = -1;
        for (int e = 0; e < experts; e++) {
          if (!taken[e] && (b < 0 || p[e] / sum + correction[e] > p[b] / sum + correction[b])) b = e;
        }
        taken[b] = true;
        wantChoice[t * topK + k] = b;
        chosen += wantWeight[t * topK + k] = p[b] / sum;
      }
      for (int k = 0; k < topK; k++) wantWeight[t * topK + k] /= chosen;
    }
    return compareRoute(String.format("moe_route corrected softmax T=%d E=%d top %d", tokens, experts, topK), logits,
        tokens, experts, topK, new ExpertKernels.Routing(true, false, 1, 1, true, 1f), null, correction, wantChoice,
        wantWeight);
  }

  /** {@code topK} distinct experts for each token, at random. */
  private int[] randomChoices(int tokens, int topK, int experts) {
    int[] choice = new int[tokens * topK];
    for (int t = 0; t < tokens; t++) {
      List<Integer> all = new ArrayList<>();
      for (int e = 0; e < experts; e++) all.add(e);
      java.util.Collections.shuffle(all, rnd);
      for (int k = 0; k < topK; k++) choice[t * topK + k] = all.get(k);
    }
    return choice;
  }

  /** The grouping moe_plan must produce: experts in order, each expert's pairs in token order. */
  record Plan(int[] offsets, int[] rowToken, int[] pairRow) {
    static Plan of(int[] choice, int topK, int experts) {
      int pairs = choice.length;
      int[] offsets = new int[experts + 1];
      for (int e : choice) offsets[e + 1]++;
      for (int e = 0; e < experts; e++) offsets[e + 1] += offsets[e];
      int[] next = Arrays.copyOf(offsets, experts);
      int[] rowToken = new int[pairs], pairRow = new int[pairs];
      for (int p = 0; p < pairs; p++) {
        int row = next[choice[p]]++;
        rowToken[row] = p / topK;
        pairRow[p] = row;
      }
      return new Plan(offsets, rowToken, pairRow);
    }
  }

  CheckResult plan(int tokens, int topK, int experts) {
    int[] choice = randomChoices(tokens, topK, experts);
    int pairs = choice.length;
    long offsets = buf.poisoned(4L * (experts + 1)), rowToken = buf.poisoned(4L * pairs), pairRow = buf.poisoned(4L * pairs);
    ek.plan(buf.up(choice), pairs, topK, experts, offsets, rowToken, pairRow, stream);
    d.synchronize(stream);
    Plan want = Plan.of(choice, topK, experts);
    boolean same = Arrays.equals(Transfers.readInts(d, offsets, experts + 1), want.offsets())
        && Arrays.equals(Transfers.readInts(d, rowToken, pairs), want.rowToken())
        && Arrays.equals(Transfers.readInts(d, pairRow, pairs), want.pairRow());
    return new CheckResult(String.format("moe_plan pairs=%d top %d E=%d", pairs, topK, experts),
        same ? 0 : Double.POSITIVE_INFINITY, 0, same ? "" : "grouping differs");
  }

  /**
   * The gate/up projection with {@code act} (null: a plain [n, k] projection, as down) over rows
   * grouped by a random routing, against double sums.
   */
  CheckResult gemm(int tokens, int k, int n, int experts, int topK, Activation act) {
    return gemm(tokens, k, n, experts, topK, act, false);
  }

  /** As above; {@code biased}: each expert's matrices with a random bias. */
  CheckResult gemm(int tokens, int k, int n, int experts, int topK, Activation act, boolean biased) {
    return gemm(tokens, k, n, experts, topK, act, biased, null);
  }

  /** As above; {@code clamp} (GPT-OSS's clamped SwiGLU) in place of {@code act} where not null. */
  CheckResult gemm(int tokens, int k, int n, int experts, int topK, Activation act, boolean biased, SwigluClamp clamp) {
    return gemm(tokens, k, n, experts, topK, act, biased, clamp, false);
  }

  /** As above; {@code scaledInputs}: each grouped row's input scaled by its pair's weight (Llama 4). */
  CheckResult gemm(int tokens, int k, int n, int experts, int topK, Activation act, boolean biased, SwigluClamp clamp,
      boolean scaledInputs) {
    int mats = act == null ? 1 : 2;
    int[] choice = randomChoices(tokens, topK, experts);
    Plan plan = Plan.of(choice, topK, experts);
    int pairs = choice.length;
    boolean gather = act != null; // gate/up gathers token rows; down reads the grouped rows themselves
    int inputRows = gather ? tokens : pairs;
    short[] x = randomBf16(rnd, inputRows * k, 1);
    short[] w = randomBf16(rnd, experts * mats * n * k, 0.2);
    short[] bias = randomBf16(rnd, experts * mats * n, 1);
    float[] pairWeight = new float[pairs];
    for (int i = 0; i < pairs; i++) pairWeight[i] = 0.2f + rnd.nextFloat();
    int[] rowPair = new int[pairs];
    for (int p = 0; p < pairs; p++) rowPair[plan.pairRow()[p]] = p;
    long out = buf.poisoned((f32 ? 4L : 2L) * pairs * n);
    ek.gemm(upT(x), gather ? buf.up(plan.rowToken()) : 0, buf.up(plan.offsets()), upT(w), biased ? upT(bias) : 0, out, n,
        k, act, clamp == null ? 0 : (float) clamp.alpha(), clamp == null ? 0 : (float) clamp.limit(),
        scaledInputs ? buf.up(pairWeight) : 0, scaledInputs ? buf.up(rowPair) : 0, experts, tokens, stream);
    double[] got = readT(out, pairs * n), want = new double[pairs * n];
    for (int e = 0; e < experts; e++) {
      for (int r = plan.offsets()[e]; r < plan.offsets()[e + 1]; r++) {
        int src = gather ? plan.rowToken()[r] : r;
        for (int j = 0; j < n; j++) {
          double g = biased ? Bf16.toFloat(bias[(e * mats) * n + j]) : 0;
          double u = biased && act != null ? Bf16.toFloat(bias[(e * mats + 1) * n + j]) : 0;
          for (int i = 0; i < k; i++) {
            double xi = Bf16.toFloat(x[src * k + i]);
            g += xi * Bf16.toFloat(w[((e * mats) * n + j) * k + i]);
            if (act != null) u += xi * Bf16.toFloat(w[((e * mats + 1) * n + j) * k + i]);
          }
          if (scaledInputs) { // the products of a scaled input, before the bias
            double s = pairWeight[rowPair[r]];
            g = s * (g - (biased ? Bf16.toFloat(bias[(e * mats) * n + j]) : 0)) + (biased ? Bf16.toFloat(bias[(e * mats) * n + j]) : 0);
            u = s * (u - (biased && act != null ? Bf16.toFloat(bias[(e * mats + 1) * n + j]) : 0))
                + (biased && act != null ? Bf16.toFloat(bias[(e * mats + 1) * n + j]) : 0);
          }
          want[r * n + j] = act == null ? g : clamp != null ? clamp.of(g, u) : act.of(g) * u;
        }
      }
    }
    return new CheckResult(String.format("%s %s T=%d k=%d n=%d E=%d top %d%s%s", ek.path(tokens, k),
        act == null ? "down" : clamp != null ? "clamped SwiGLU" : act.name(), tokens, k, n, experts, topK,
        (biased ? " biased" : "") + (scaledInputs ? " scaled inputs" : ""), sfx()),
        relError(got, want), tol(), "");
  }

  CheckResult combine(int tokens, int hidden, int experts, int topK, boolean shared) {
    return combine(tokens, hidden, experts, topK, shared, true);
  }

  /** As above; {@code gated} false adds the shared expert without its sigmoid gate. */
  CheckResult combine(int tokens, int hidden, int experts, int topK, boolean shared, boolean gated) {
    int[] choice = randomChoices(tokens, topK, experts);
    Plan plan = Plan.of(choice, topK, experts);
    int pairs = choice.length;
    short[] rows = randomBf16(rnd, pairs * hidden, 1);
    short[] sharedRows = shared ? randomBf16(rnd, tokens * hidden, 1) : null;
    float[] weight = new float[pairs];
    for (int i = 0; i < pairs; i++) weight[i] = rnd.nextFloat();
    int ld = experts + 1;
    float[] logits = new float[tokens * ld]; // the shared gate's logit in each row's last column
    for (int i = 0; i < logits.length; i++) logits[i] = (rnd.nextFloat() - 0.5f) * 6;
    long out = buf.poisoned((f32 ? 4L : 2L) * tokens * hidden);
    ek.combine(upT(rows), buf.up(plan.pairRow()), buf.up(weight), topK, shared ? upT(sharedRows) : 0,
        gated ? buf.up(logits) + 4L * experts : 0, ld, out, tokens, hidden, stream);
    double[] got = readT(out, tokens * hidden), want = new double[tokens * hidden];
    for (int t = 0; t < tokens; t++) {
      double gate = gated ? 1 / (1 + Math.exp(-logits[t * ld + experts])) : 1;
      for (int i = 0; i < hidden; i++) {
        double s = 0;
        for (int kk = 0; kk < topK; kk++) {
          s += weight[t * topK + kk] * Bf16.toFloat(rows[plan.pairRow()[t * topK + kk] * hidden + i]);
        }
        if (shared) s += gate * Bf16.toFloat(sharedRows[t * hidden + i]);
        want[t * hidden + i] = s;
      }
    }
    return new CheckResult(String.format("moe_combine T=%d H=%d top %d%s%s", tokens, hidden, topK,
        shared ? (gated ? " shared" : " shared ungated") : "", sfx()), relError(got, want), tol(), "");
  }
}

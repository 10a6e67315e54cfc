package dev.barista.engine.model;

import dev.barista.engine.config.Moe;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.Mxfp4;
import dev.barista.engine.weights.Tensor;
import dev.barista.engine.weights.WeightSource;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A sparse layer's experts under the names checkpoints on the hub use: Mixtral's
 * block_sparse_moe.gate and experts.E.w1 (gate) / w3 (up) / w2 (down); Qwen-MoE's mlp.gate and
 * experts.E.gate_proj / up_proj / down_proj, and Qwen2-MoE's shared_expert and shared_expert_gate;
 * Granite-MoE's, GPT-OSS's and Llama 4's fused expert tensors; the grouped routers' (DeepSeek,
 * GLM-4.5, dots.llm1, ERNIE 4.5 MoE) ungated shared_experts and, where the router corrects its
 * scores, gate.e_score_correction_bias (ERNIE: moe_statics.e_score_correction_bias, [1, experts]).
 */
final class MoeLoader {
  private MoeLoader() {}

  static MoeWeights load(ModelConfig c, Architecture arch, WeightSource src, String layerPrefix) {
    if (arch.name().startsWith("GraniteMoe")) return granite(c, src, layerPrefix);
    if (arch.name().startsWith("GptOss")) return gptOss(c, src, layerPrefix);
    if (arch.name().startsWith("Llama4")) return llama4(c, src, layerPrefix);
    Moe moe = c.moe();
    long h = c.hiddenSize();
    long inter = moe.expertIntermediate();
    boolean mixtral = arch.name().startsWith("Mixtral");
    String m = layerPrefix + (mixtral ? "block_sparse_moe." : "mlp.");
    String[] names = mixtral ? new String[] {"w1", "w3", "w2"} : new String[] {"gate_proj", "up_proj", "down_proj"};
    List<Tensor> gate = new ArrayList<>();
    List<Tensor> up = new ArrayList<>();
    List<Tensor> down = new ArrayList<>();
    for (int e = 0; e < moe.experts(); e++) {
      String x = m + "experts." + e + ".";
      gate.add(src.load(x + names[0] + ".weight", inter, h));
      up.add(src.load(x + names[1] + ".weight", inter, h));
      down.add(src.load(x + names[2] + ".weight", h, inter));
    }
    long shared = moe.sharedIntermediate();
    boolean grouped = moe.groupedTopK() != null;
    String s = m + (grouped ? "shared_experts." : "shared_expert.");
    return new MoeWeights(src.load(m + "gate.weight", moe.experts(), h), gate, up, down,
        shared > 0 ? src.load(s + "gate_proj.weight", shared, h) : null,
        shared > 0 ? src.load(s + "up_proj.weight", shared, h) : null,
        shared > 0 ? src.load(s + "down_proj.weight", h, shared) : null,
        shared > 0 && !grouped ? src.load(m + "shared_expert_gate.weight", 1, h) : null,
        grouped && moe.groupedTopK().scoreCorrection() ? scoreCorrectionBias(arch, src, m, moe.experts()) : null,
        null, List.of(), List.of(), List.of());
  }

  /** The router's correction bias as a vector of {@code experts}. */
  private static Tensor scoreCorrectionBias(Architecture arch, WeightSource src, String m, int experts) {
    if (!arch.name().startsWith("Ernie4_5_Moe")) return src.load(m + "gate.e_score_correction_bias", experts);
    String name = m + "moe_statics.e_score_correction_bias";
    return Tensor.ofFloats(name, src.load(name, 1, experts).toFloatArray());
  }

  /**
   * GPT-OSS's fused experts with biases: mlp.experts.gate_up_proj [experts, hidden, 2 I], stored
   * [in, out] (unlike nn.Linear) with gate and up interleaved along the last dimension (gate the
   * even columns, up the odd ones), gate_up_proj_bias [experts, 2 I] interleaved alike, down_proj
   * [experts, I, hidden] and down_proj_bias [experts, hidden]; mlp.router.weight and .bias.
   */
  private static MoeWeights gptOss(ModelConfig c, WeightSource src, String layerPrefix) {
    Moe moe = c.moe();
    int h = c.hiddenSize();
    int inter = moe.expertIntermediate();
    int experts = moe.experts();
    String m = layerPrefix + "mlp.";
    String x = m + "experts.";
    // each expert's matrices as nn.Linear stores them, [out, in]
    List<Tensor[]> gateUp = gptOssGateUp(src, x, experts, h, inter);
    List<Tensor> downs = expertMatrices(src, x + "down_proj", experts, inter, h);
    float[] gateUpBias = src.load(x + "gate_up_proj_bias", experts, 2L * inter).toFloatArray();
    float[] downBias = src.load(x + "down_proj_bias", experts, h).toFloatArray();
    List<Tensor> gate = new ArrayList<>();
    List<Tensor> up = new ArrayList<>();
    List<Tensor> gateBias = new ArrayList<>();
    List<Tensor> upBias = new ArrayList<>();
    List<Tensor> downBiases = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      String name = x + e + ".";
      gate.add(gateUp.get(e)[0]);
      up.add(gateUp.get(e)[1]);
      gateBias.add(Tensor.ofFloats(name + "gate_proj.bias", strided(gateUpBias, e * 2 * inter, 2, inter)));
      upBias.add(Tensor.ofFloats(name + "up_proj.bias", strided(gateUpBias, e * 2 * inter + 1, 2, inter)));
      downBiases.add(Tensor.ofFloats(name + "down_proj.bias", strided(downBias, e * h, 1, h)));
    }
    return new MoeWeights(src.load(m + "router.weight", experts, h), gate, up, downs, null, null, null, null, null,
        src.load(m + "router.bias", experts), gateBias, upBias, downBiases);
  }

  /**
   * Llama 4's fused experts: feed_forward.experts.gate_up_proj [experts, hidden, 2 I], stored [in,
   * out] with each expert's gate columns first and its up columns after them, down_proj [experts,
   * I, hidden]; feed_forward.router.weight, and the ungated feed_forward.shared_expert (I wide).
   */
  private static MoeWeights llama4(ModelConfig c, WeightSource src, String layerPrefix) {
    Moe moe = c.moe();
    int h = c.hiddenSize();
    int inter = moe.expertIntermediate();
    int experts = moe.experts();
    String m = layerPrefix + "feed_forward.";
    String x = m + "experts.";
    List<Tensor> gateUp = expertMatrices(src, x + "gate_up_proj", experts, h, 2 * inter);
    List<Tensor> gate = new ArrayList<>();
    List<Tensor> up = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      gate.add(gateUp.get(e).rowSlice(x + e + ".gate_proj.weight", 0, inter));
      up.add(gateUp.get(e).rowSlice(x + e + ".up_proj.weight", inter, inter));
    }
    long shared = moe.sharedIntermediate();
    String s = m + "shared_expert.";
    return new MoeWeights(src.load(m + "router.weight", experts, h), gate, up,
        expertMatrices(src, x + "down_proj", experts, inter, h), src.load(s + "gate_proj.weight", shared, h),
        src.load(s + "up_proj.weight", shared, h), src.load(s + "down_proj.weight", h, shared), null);
  }

  /**
   * A fused expert tensor (GPT-OSS's, Llama 4's) as one [out, in] matrix per expert: transposed from
   * the bf16/f32 checkpoints' [experts, in, out], or dequantized from GPT-OSS's MXFP4 blocks and
   * scales, which are stored [experts, out, in / 32, 16] and [experts, out, in / 32] already in that
   * orientation.
   */
  private static List<Tensor> expertMatrices(WeightSource src, String name, int experts, int in, int out) {
    if (!src.contains(name) && src.contains(name + "_blocks")) {
      MemorySegment blocks = src.loadBytes(name + "_blocks", experts, out, in / Mxfp4.BLOCK, Mxfp4.BLOCK / 2);
      MemorySegment scales = src.loadBytes(name + "_scales", experts, out, in / Mxfp4.BLOCK);
      long blockBytes = (long) out * in / 2;
      long scaleBytes = (long) out * in / Mxfp4.BLOCK;
      return IntStream.range(0, experts).mapToObj(e -> Mxfp4.dequantize(name + "." + e,
          blocks.asSlice(e * blockBytes, blockBytes), scales.asSlice(e * scaleBytes, scaleBytes), out, in)).toList();
    }
    Tensor all = src.load(name, experts, in, out).asRows();
    // one expert a thread: the transposes of a real checkpoint's experts are tens of GB
    return IntStream.range(0, experts).parallel()
        .mapToObj(e -> all.rowSlice(name + "." + e, (long) e * in, in).transposed(name + "." + e)).toList();
  }

  /**
   * Each expert's gate and up [I, hidden]: from MXFP4 as one [2 I, hidden] matrix whose even rows
   * are gate's, or straight out of the bf16/f32 [hidden, 2 I] tensor's even and odd columns (one
   * copy of the experts, not a transpose and then a split).
   */
  private static List<Tensor[]> gptOssGateUp(WeightSource src, String x, int experts, int h, int inter) {
    String name = x + "gate_up_proj";
    if (!src.contains(name) && src.contains(name + "_blocks")) {
      return expertMatrices(src, name, experts, h, 2 * inter).stream().map(m -> new Tensor[] {
          m.rowBlocks(m.name() + ".gate", 0, 1, 2, inter), m.rowBlocks(m.name() + ".up", 1, 1, 2, inter)}).toList();
    }
    Tensor all = src.load(name, experts, h, 2L * inter).asRows();
    return IntStream.range(0, experts).parallel().mapToObj(e -> {
      Tensor m = all.rowSlice(name + "." + e, (long) e * h, h);
      String expert = x + e + ".";
      return new Tensor[] {m.columnsAsRows(expert + "gate_proj.weight", 0, 2),
          m.columnsAsRows(expert + "up_proj.weight", 1, 2)};
    }).toList();
  }

  /** {@code count} values of {@code all} from {@code from}, {@code stride} apart. */
  private static float[] strided(float[] all, int from, int stride, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) out[i] = all[from + i * stride];
    return out;
  }

  /**
   * Granite-MoE's fused experts: block_sparse_moe.input_linear [experts, 2 I, hidden] (each
   * expert's gate rows, then its up rows), output_linear [experts, hidden, I], router.layer; and
   * GraniteMoeShared's shared_mlp (input_linear [2 S, hidden], output_linear), added ungated.
   */
  private static MoeWeights granite(ModelConfig c, WeightSource src, String layerPrefix) {
    Moe moe = c.moe();
    long h = c.hiddenSize();
    long inter = moe.expertIntermediate();
    int experts = moe.experts();
    String m = layerPrefix + "block_sparse_moe.";
    Tensor in = src.load(m + "input_linear.weight", experts, 2 * inter, h).asRows();
    Tensor out = src.load(m + "output_linear.weight", experts, h, inter).asRows();
    List<Tensor> gate = new ArrayList<>();
    List<Tensor> up = new ArrayList<>();
    List<Tensor> down = new ArrayList<>();
    for (int e = 0; e < experts; e++) {
      String x = m + "experts." + e + ".";
      gate.add(in.rowSlice(x + "gate_proj.weight", e * 2 * inter, inter));
      up.add(in.rowSlice(x + "up_proj.weight", e * 2 * inter + inter, inter));
      down.add(out.rowSlice(x + "down_proj.weight", e * h, h));
    }
    long shared = moe.sharedIntermediate();
    String s = layerPrefix + "shared_mlp.";
    Tensor sharedIn = shared > 0 ? src.load(s + "input_linear.weight", 2 * shared, h) : null;
    return new MoeWeights(src.load(m + "router.layer.weight", experts, h), gate, up, down,
        shared > 0 ? sharedIn.rowSlice(s + "gate_proj.weight", 0, shared) : null,
        shared > 0 ? sharedIn.rowSlice(s + "up_proj.weight", shared, shared) : null,
        shared > 0 ? src.load(s + "output_linear.weight", h, shared) : null,
        null);
  }
}

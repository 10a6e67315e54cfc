package dev.barista.engine.model;

import dev.barista.engine.config.Moe;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.Tensor;
import dev.barista.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A sparse layer's experts under the names checkpoints on the hub use: Mixtral's
 * block_sparse_moe.gate and experts.E.w1 (gate) / w3 (up) / w2 (down); Qwen-MoE's mlp.gate and
 * experts.E.gate_proj / up_proj / down_proj, and Qwen2-MoE's shared_expert and shared_expert_gate;
 * Granite-MoE's fused expert tensors.
 */
final class MoeLoader {
  private MoeLoader() {}

  static MoeWeights load(ModelConfig c, Architecture arch, WeightSource src, String layerPrefix) {
    if (arch.name().startsWith("GraniteMoe")) return granite(c, src, layerPrefix);
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
        grouped ? src.load(m + "gate.e_score_correction_bias", moe.experts()) : null);
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
        null, null);
  }
}

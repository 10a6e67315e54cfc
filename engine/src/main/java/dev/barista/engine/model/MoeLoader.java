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
 * experts.E.gate_proj / up_proj / down_proj, and Qwen2-MoE's shared_expert and shared_expert_gate.
 */
final class MoeLoader {
  private MoeLoader() {}

  static MoeWeights load(ModelConfig c, Architecture arch, WeightSource src, String layerPrefix) {
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
    String s = m + "shared_expert.";
    return new MoeWeights(src.load(m + "gate.weight", moe.experts(), h), gate, up, down,
        shared > 0 ? src.load(s + "gate_proj.weight", shared, h) : null,
        shared > 0 ? src.load(s + "up_proj.weight", shared, h) : null,
        shared > 0 ? src.load(s + "down_proj.weight", h, shared) : null,
        shared > 0 ? src.load(m + "shared_expert_gate.weight", 1, h) : null);
  }
}

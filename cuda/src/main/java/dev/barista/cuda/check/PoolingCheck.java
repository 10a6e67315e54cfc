package dev.barista.cuda.check;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.weights.SafetensorsFile;
import dev.barista.engine.weights.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * LLM.encode on the GPU against transformers: the pooled vector (the last prompt position's hidden
 * state after the final norm) times the checkpoint's LM head must give the reference logits of that
 * position, within the bf16 tolerance of the model checks (log-softmax 0.1 over tokens above
 * e^-20); and the CPU runner's pooled vector, within 2e-2 relative. For a sequence classifier
 * (no reference), LLM.classify's log-probabilities on the GPU against the CPU's, within the same
 * 0.1 (bf16 activations move a class logit by a few 1e-2).
 * Usage: PoolingCheck MODEL_DIR... (single-file checkpoints); exit 1 on a failure.
 */
public final class PoolingCheck {
  private PoolingCheck() {}

  public static void main(String[] args) throws Exception {
    int failed = 0;
    for (String a : args) {
      Path dir = Path.of(a);
      if (ModelConfig.load(dir).architecture().endsWith("ForSequenceClassification")) {
        failed += classifies(dir) ? 0 : 1;
        continue;
      }
      List<ReferenceCase> cases = ReferenceCase.load(dir);
      List<PromptInput> prompts = new ArrayList<>();
      for (ReferenceCase c : cases) prompts.add(PromptInput.tokens(Arrays.stream(c.promptIds()).boxed().toList()));
      List<float[]> gpu = pooled(dir, "cuda", prompts);
      List<float[]> cpu = pooled(dir, "cpu", prompts);
      double worstLsm = 0, worstRel = 0;
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
        Tensor lmHead = f.tensor(f.contains("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight");
        for (int c = 0; c < cases.size(); c++) {
          double[] ours = ReferenceCase.logSoftmax(times(lmHead, gpu.get(c)));
          double[] want = ReferenceCase.logSoftmax(cases.get(c).lastLogits());
          for (int v = 0; v < want.length; v++) {
            if (want[v] > -20) worstLsm = Math.max(worstLsm, Math.abs(ours[v] - want[v]));
          }
          worstRel = Math.max(worstRel, Reference.relError(Reference.toDoubles(gpu.get(c)), Reference.toDoubles(cpu.get(c))));
        }
      }
      boolean ok = worstLsm < 0.1 && worstRel < 2e-2;
      if (!ok) failed++;
      System.out.printf("%s encode: LM head of the pooled state vs reference %s   max |Δ log_softmax| %.3f, vs the CPU"
          + " runner rel_err %.2e (%d prompts)%n", dir.getFileName(), ok ? "OK" : "FAIL", worstLsm, worstRel, cases.size());
    }
    System.out.println("pooling checks: " + (failed == 0 ? "all passed" : failed + " failed"));
    System.exit(failed == 0 ? 0 : 1);
  }

  private static boolean classifies(Path dir) {
    List<PromptInput> prompts = List.of(PromptInput.tokens(List.of(5, 17, 42, 99)), PromptInput.tokens(List.of(3, 1, 4, 1, 5, 9)));
    List<List<Double>> gpu = classify(dir, "cuda", prompts), cpu = classify(dir, "cpu", prompts);
    double worst = 0;
    for (int p = 0; p < prompts.size(); p++) {
      for (int k = 0; k < gpu.get(p).size(); k++) {
        worst = Math.max(worst, Math.abs(Math.log(gpu.get(p).get(k)) - Math.log(cpu.get(p).get(k))));
      }
    }
    boolean ok = worst < 0.1;
    System.out.printf("%s classify: GPU vs CPU log-probabilities %s   max |Δ| %.3f (%d prompts, %d classes)%n",
        dir.getFileName(), ok ? "OK" : "FAIL", worst, prompts.size(), gpu.getFirst().size());
    return ok;
  }

  private static List<List<Double>> classify(Path dir, String device, List<PromptInput> prompts) {
    try (LLM llm = open(dir, device)) {
      return llm.classify(prompts).stream().map(o -> o.outputs().probs()).toList();
    }
  }

  private static LLM open(Path dir, String device) {
    return new LLM(EngineArgs.builder(dir).device(device).maxModelLen(256).kvCacheMemory(64L << 20)
        .gpuMemoryUtilization(0.2).build());
  }

  private static List<float[]> pooled(Path dir, String device, List<PromptInput> prompts) {
    try (LLM llm = open(dir, device)) {
      return llm.encode(prompts).stream().map(o -> o.outputs().data()).toList();
    }
  }

  private static double[] times(Tensor w, float[] h) {
    double[] out = new double[w.rows()];
    for (int v = 0; v < out.length; v++) {
      for (int i = 0; i < h.length; i++) out[v] += w.get((long) v * h.length + i) * h[i];
    }
    return out;
  }
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our CPU forward pass against Hugging Face transformers' float64 logits on the tiny models. */
class ReferenceLogitsTest {

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama31", "tiny-qwen2", "tiny-qwen3", "tiny-mistral", "tiny-phi3",
      "tiny-smollm3", "tiny-granite", "tiny-gemma", "tiny-gemma2", "tiny-gemma3", "tiny-opt", "tiny-gpt2",
      "tiny-gptneox", "tiny-phi", "tiny-starcoder2", "tiny-stablelm", "tiny-mixtral", "tiny-qwen3moe",
      "tiny-qwen2moe", "tiny-gemma3-mm", "tiny-llava", "tiny-olmo2", "tiny-olmo3", "tiny-gptj",
      "tiny-cohere", "tiny-glm", "tiny-glm4", "tiny-qwen2vl", "tiny-qwen25vl", "tiny-qwen3vl", "tiny-idefics3", "tiny-olmoe",
      "tiny-falcon", "tiny-falcon-newarch", "tiny-granitemoe", "tiny-granitemoeshared", "tiny-helium", "tiny-seedoss",
      "tiny-ernie45", "tiny-arcee", "tiny-nemotron", "tiny-exaone4", "tiny-cohere2", "tiny-olmo", "tiny-hunyuan",
      "tiny-mistral3", "tiny-glm4moe", "tiny-deepseekv3", "tiny-deepseekv3-noqlora", "tiny-gptoss",
      "tiny-deepseekv2", "tiny-deepseekv2-grouped", "tiny-bloom", "tiny-mpt", "tiny-falcon-rw",
      "tiny-internvl", "tiny-llavanext", "tiny-paligemma", "tiny-glm4v", "tiny-dots1", "tiny-ernie45moe", "tiny-llama4"})
  void firstAndLastPositionLogSoftmaxMatchReference(String name) throws Exception {
    ReferenceModel ref = ReferenceModel.load(name);
    try (CpuModelRunner runner = ModelLoader.load(ref.dir(), LoadOptions.auto())) {
      assertLogSoftmaxMatches(ref, runner, name);
    }
  }

  private static void assertLogSoftmaxMatches(ReferenceModel ref, CpuModelRunner runner, String name) {
    runner.allocateKvCache(64, 16);
    int vocab = runner.config().vocabSize();
    for (ReferenceModel.Case c : ref.cases()) {
      SamplingParams params = SamplingParams.builder().temperature(0).logprobs(-1)
          .promptLogprobs(-1).maxTokens(null).build();
      SequenceDriver seq = new SequenceDriver(
          SequenceSamplingState.create(params, c.promptIds(), List.of(), vocab), 16,
          new SequenceDriver.BlockCounter());
      StepResult.SliceResult r = seq.step(runner, Integer.MAX_VALUE, true);
      double[] first = SequenceDriver.fullDistribution(r.promptLogprobs().get(0), vocab);
      double[] last = SequenceDriver.fullDistribution(r.sampledLogprobs(), vocab);
      assertClose(ReferenceModel.logSoftmax(c.firstPositionLogits()), first, ref.tolerance(), name + " first");
      assertClose(ReferenceModel.logSoftmax(c.lastLogits()), last, ref.tolerance(), name + " last");
      assertEquals(c.promptIds().length - 1, r.promptLogprobs().size());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-llama", "tiny-llama31", "tiny-qwen2", "tiny-qwen3", "tiny-mistral", "tiny-phi3",
      "tiny-smollm3", "tiny-granite", "tiny-gemma", "tiny-gemma2", "tiny-gemma3", "tiny-opt", "tiny-gpt2",
      "tiny-gptneox", "tiny-phi", "tiny-starcoder2", "tiny-stablelm", "tiny-mixtral", "tiny-qwen3moe",
      "tiny-qwen2moe", "tiny-gemma3-mm", "tiny-llava", "tiny-olmo2", "tiny-olmo3", "tiny-gptj",
      "tiny-cohere", "tiny-glm", "tiny-glm4", "tiny-qwen2vl", "tiny-qwen25vl", "tiny-qwen3vl", "tiny-idefics3", "tiny-olmoe",
      "tiny-falcon", "tiny-falcon-newarch", "tiny-granitemoe", "tiny-granitemoeshared", "tiny-helium", "tiny-seedoss",
      "tiny-ernie45", "tiny-arcee", "tiny-nemotron", "tiny-exaone4", "tiny-cohere2", "tiny-olmo", "tiny-hunyuan",
      "tiny-mistral3", "tiny-glm4moe", "tiny-deepseekv3", "tiny-deepseekv3-noqlora", "tiny-gptoss",
      "tiny-deepseekv2", "tiny-deepseekv2-grouped", "tiny-bloom", "tiny-mpt", "tiny-falcon-rw",
      "tiny-internvl", "tiny-llavanext", "tiny-paligemma", "tiny-glm4v", "tiny-dots1", "tiny-ernie45moe", "tiny-llama4"})
  void greedyContinuationMatchesUntilTheFirstNearTie(String name) throws Exception {
    ReferenceModel ref = ReferenceModel.load(name);
    try (CpuModelRunner runner = ModelLoader.load(ref.dir(), LoadOptions.auto())) {
      assertGreedyMatches(ref, runner, name);
    }
  }

  private static void assertGreedyMatches(ReferenceModel ref, CpuModelRunner runner, String name) {
    runner.allocateKvCache(64, 16);
    int compared = 0;
    for (ReferenceModel.Case c : ref.cases()) {
      int steps = c.greedyIds().length;
      for (int i = 0; i < c.greedyMargins().length; i++) {
        if (c.greedyMargins()[i] < 1e-3) {
          steps = i; // the reference itself is ambiguous from here on
          break;
        }
      }
      compared += steps;
      SequenceDriver seq = new SequenceDriver(SequenceSamplingState.create(
          SequenceDriver.greedy(), c.promptIds(), List.of(), runner.config().vocabSize()), 16,
          new SequenceDriver.BlockCounter());
      int[] ours = seq.generate(runner, steps);
      assertArrayEquals(Arrays.copyOf(c.greedyIds(), steps), ours, name);
    }
    assertTrue(compared >= 16, name + ": only " + compared + " unambiguous greedy steps");
  }

  static void assertClose(double[] expected, double[] actual, double tol, String what) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    int at = -1;
    for (int i = 0; i < expected.length; i++) {
      double d = Math.abs(expected[i] - actual[i]);
      if (!(d <= worst)) {
        worst = d;
        at = i;
      }
    }
    assertTrue(worst <= tol, what + ": max |diff| " + worst + " at token " + at + " > " + tol);
  }
}

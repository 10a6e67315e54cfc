package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One sequence through the CPU runner of a model folder, for tests that compare model variants. */
final class ModelRuns {
  private ModelRuns() {}

  /** The greedy continuation of {@code prompt}, {@code steps} tokens long. */
  static int[] greedy(Path dir, int[] prompt, int steps) {
    try (CpuModelRunner runner = ModelLoader.load(dir, LoadOptions.auto())) {
      runner.allocateKvCache(16, 16);
      return new SequenceDriver(SequenceSamplingState.create(SequenceDriver.greedy(), prompt,
          List.of(), runner.config().vocabSize()), 16, new SequenceDriver.BlockCounter())
          .generate(runner, steps);
    }
  }

  /** The log-softmax over the whole vocabulary after {@code prompt}. */
  static double[] lastLogprobs(Path dir, int[] prompt) {
    try (CpuModelRunner runner = ModelLoader.load(dir, LoadOptions.auto())) {
      runner.allocateKvCache(64, 16);
      return lastLogprobs(runner, prompt);
    }
  }

  static double[] lastLogprobs(CpuModelRunner runner, int[] prompt) {
    int vocab = runner.config().vocabSize();
    SamplingParams params = SamplingParams.builder().temperature(0).logprobs(-1).build();
    SequenceDriver seq = new SequenceDriver(
        SequenceSamplingState.create(params, prompt, List.of(), vocab), 16, new SequenceDriver.BlockCounter());
    return SequenceDriver.fullDistribution(seq.step(runner, Integer.MAX_VALUE, false).sampledLogprobs(), vocab);
  }

  /** The largest element-wise difference of two distributions. */
  static double maxDifference(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
  }

  /**
   * The model in {@code dir} gives the reference's last-position log-softmax on every case, and its
   * greedy tokens on the first (16 of them).
   */
  static void assertMatchesReference(ReferenceModel ref, Path dir, String label) {
    for (ReferenceModel.Case c : ref.cases()) {
      ReferenceLogitsTest.assertClose(ReferenceModel.logSoftmax(c.lastLogits()), lastLogprobs(dir, c.promptIds()),
          ref.tolerance(), label);
    }
    ReferenceModel.Case c = ref.cases().get(0);
    assertArrayEquals(Arrays.copyOf(c.greedyIds(), 16), greedy(dir, c.promptIds(), 16), label + " greedy");
  }
}

package dev.barista.engine.cpu;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.SequenceDriver;
import java.nio.file.Path;
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
}

package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference comparison must notice a single changed weight. */
class PerturbedWeightTest {

  @Test
  void oneChangedWeightBreaksTheReferenceComparison(@TempDir Path tmp) throws IOException {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) {
      Files.copy(ref.dir().resolve(f), tmp.resolve(f));
    }
    // lm_head.weight is the first tensor in this file's data (F32): bump element 0 by 1.0.
    try (FileChannel ch = FileChannel.open(tmp.resolve("model.safetensors"),
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(len, 0);
      long dataStart = 8 + len.getLong(0);
      ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(v, dataStart);
      v.putFloat(0, v.getFloat(0) + 1.0f);
      ch.write(v.rewind(), dataStart);
    }
    ReferenceModel.Case c = ref.cases().get(0);
    try (CpuModelRunner runner = ModelLoader.load(tmp, LoadOptions.auto())) {
      runner.allocateKvCache(8, 16);
      int vocab = runner.config().vocabSize();
      SamplingParams params = SamplingParams.builder().temperature(0).logprobs(-1).build();
      SequenceDriver seq = new SequenceDriver(
          SequenceSamplingState.create(params, c.promptIds(), List.of(), vocab), 16,
          new SequenceDriver.BlockCounter());
      StepResult.SliceResult r = seq.step(runner, Integer.MAX_VALUE, false);
      double[] ours = SequenceDriver.fullDistribution(r.sampledLogprobs(), vocab);
      AssertionError failure = null;
      try {
        ReferenceLogitsTest.assertClose(ReferenceModel.logSoftmax(c.lastLogits()), ours,
            ref.tolerance(), "perturbed");
      } catch (AssertionError e) {
        failure = e;
      }
      assertTrue(failure != null, "the comparison accepted a perturbed model");
    }
  }
}

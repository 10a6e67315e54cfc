package dev.barista.engine.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.cpu.CpuModelRunner;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.util.List;
import org.junit.jupiter.api.Test;

class DummyWeightsTest {

  @Test
  void sameSeedSameValuesOtherSeedOtherValues() {
    try (DummyWeights a = new DummyWeights(DType.BF16, 7); DummyWeights b = new DummyWeights(DType.BF16, 7);
        DummyWeights c = new DummyWeights(DType.BF16, 8)) {
      Tensor ta = a.load("w", 300, 70);
      Tensor tb = b.load("w", 300, 70);
      Tensor tc = c.load("w", 300, 70);
      assertEquals(DType.BF16, ta.dtype());
      assertEquals(300L * 70 * 2, ta.data().byteSize());
      assertEquals(-1, ta.data().mismatch(tb.data()));
      assertNotEquals(-1, ta.data().mismatch(tc.data()));
      double sum = 0, sq = 0;
      for (long i = 0; i < ta.numElements(); i++) {
        sum += ta.get(i);
        sq += ta.get(i) * ta.get(i);
      }
      double n = ta.numElements();
      assertEquals(0, sum / n, 0.002);
      assertEquals(DummyWeights.STD, Math.sqrt(sq / n), 0.002);
    }
  }

  @Test
  void dummyModelGivesFiniteDeterministicLogprobs() throws Exception {
    var dir = ReferenceModel.folder("tiny-qwen3");
    int[] first = null;
    for (int round = 0; round < 2; round++) {
      try (CpuModelRunner runner = ModelLoader.load(dir, new LoadOptions(
          dev.barista.engine.model.LoadFormat.DUMMY, DType.BF16, 3))) {
        runner.allocateKvCache(8, 16);
        SamplingParams p = SamplingParams.builder().temperature(0).logprobs(5).maxTokens(null).build();
        SequenceDriver d = new SequenceDriver(SequenceSamplingState.create(p, new int[] {1, 2, 3},
            List.of(), runner.config().vocabSize()), 16, new SequenceDriver.BlockCounter());
        var r = d.step(runner, 16, false);
        for (float lp : r.sampledLogprobs().topLogprobs()) assertTrue(Float.isFinite(lp));
        int[] out = d.generate(runner, 4);
        if (first == null) first = out;
        else org.junit.jupiter.api.Assertions.assertArrayEquals(first, out);
      }
    }
  }
}

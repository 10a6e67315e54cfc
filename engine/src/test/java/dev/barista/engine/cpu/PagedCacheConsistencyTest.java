package dev.barista.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import dev.barista.engine.testing.ReferenceModel;
import dev.barista.engine.testing.SequenceDriver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The paged cache and mixed batches must not change results: one prefill, chunked prefills,
 * token-by-token prefill, and running inside a batch of other sequences all give the same tokens
 * and (to float rounding) the same logprobs.
 */
class PagedCacheConsistencyTest {
  private static final int BLOCK = 4;
  private static final int OUTPUTS = 8;
  private static CpuModelRunner runner;
  private static ReferenceModel ref;

  @BeforeAll
  static void load() throws Exception {
    ref = ReferenceModel.load("tiny-qwen3");
    runner = ModelLoader.load(ref.dir(), LoadOptions.auto());
    runner.allocateKvCache(256, BLOCK);
  }

  @AfterAll
  static void close() {
    runner.close();
  }

  private static SequenceDriver driver(int[] prompt, SequenceDriver.BlockCounter blocks) {
    SamplingParams p = SamplingParams.builder().temperature(0).logprobs(5).maxTokens(null).build();
    return new SequenceDriver(SequenceSamplingState.create(p, prompt, List.of(), runner.config().vocabSize()),
        BLOCK, blocks);
  }

  /** Runs one sequence alone with the given prefill chunk size; returns each sampled logprobs. */
  private static List<TokenLogprobs> alone(int[] prompt, int chunk) {
    SequenceDriver d = driver(prompt, new SequenceDriver.BlockCounter());
    List<TokenLogprobs> out = new ArrayList<>();
    while (d.state().outputLength() < OUTPUTS) {
      StepResult.SliceResult r = d.step(runner, chunk, false);
      if (r.sampledToken() >= 0) out.add(r.sampledLogprobs());
    }
    return out;
  }

  @Test
  void chunkedAndTokenByTokenPrefillEqualOnePrefill() {
    int[] prompt = ref.cases().get(2).promptIds();
    List<TokenLogprobs> whole = alone(prompt, Integer.MAX_VALUE);
    assertSame(whole, alone(prompt, 7));
    assertSame(whole, alone(prompt, 1));
  }

  @Test
  void batchOfDifferentSequencesEqualsEachAlone() {
    SequenceDriver.BlockCounter shared = new SequenceDriver.BlockCounter();
    List<SequenceDriver> drivers = new ArrayList<>();
    List<List<TokenLogprobs>> got = new ArrayList<>();
    for (ReferenceModel.Case c : ref.cases()) {
      drivers.add(driver(c.promptIds(), shared));
      got.add(new ArrayList<>());
    }
    // Chunks of 6 prompt tokens: prefill chunks and decode tokens of different sequences mix.
    while (drivers.stream().anyMatch(d -> d.state().outputLength() < OUTPUTS)) {
      List<SequenceSlice> slices = new ArrayList<>();
      List<Integer> owners = new ArrayList<>();
      for (int i = 0; i < drivers.size(); i++) {
        if (drivers.get(i).state().outputLength() >= OUTPUTS) continue;
        slices.add(drivers.get(i).nextSlice(6, false));
        owners.add(i);
      }
      StepResult step = runner.execute(new ForwardBatch(slices));
      for (int j = 0; j < slices.size(); j++) {
        StepResult.SliceResult r = step.slices().get(j);
        drivers.get(owners.get(j)).accept(slices.get(j), r);
        if (r.sampledToken() >= 0) got.get(owners.get(j)).add(r.sampledLogprobs());
      }
    }
    for (int i = 0; i < drivers.size(); i++) {
      assertSame(alone(ref.cases().get(i).promptIds(), Integer.MAX_VALUE), got.get(i));
    }
  }

  private static void assertSame(List<TokenLogprobs> expected, List<TokenLogprobs> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).tokenId(), actual.get(i).tokenId(), "token " + i);
      assertArrayEquals(expected.get(i).topTokenIds(), actual.get(i).topTokenIds(), "top ids " + i);
      assertArrayEquals(expected.get(i).topLogprobs(), actual.get(i).topLogprobs(), 1e-4f, "top logprobs " + i);
    }
  }
}

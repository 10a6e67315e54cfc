package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.testing.ReferenceModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's must-show on a real model (the f32 reference Llama, CPU runner): 64 requests of mixed
 * lengths batched together give the same greedy tokens as each run alone, also with prefix caching
 * off and under a KV budget so small that requests are preempted and recomputed.
 */
class RealModelBatchingTest {
  static final String MODEL = "tiny-llama";
  static List<PromptInput> prompts = new ArrayList<>();
  static List<SamplingParams> params = new ArrayList<>();
  static List<List<Integer>> alone = new ArrayList<>();

  static EngineArgs.Builder args() {
    return EngineArgs.builder(ReferenceModel.folder(MODEL)).device("cpu").maxModelLen(256)
        .kvCacheMemory(64L << 20);
  }

  @BeforeAll
  static void runEachAlone() {
    Random rnd = new Random(7);
    for (int i = 0; i < 64; i++) {
      List<Integer> ids = new ArrayList<>();
      int len = 1 + rnd.nextInt(i % 4 == 0 ? 120 : 30);
      for (int t = 0; t < len; t++) ids.add(3 + rnd.nextInt(1000));
      prompts.add(PromptInput.tokens(ids));
      params.add(SamplingParams.builder().temperature(0).ignoreEos(true)
          .maxTokens(1 + rnd.nextInt(24)).build());
    }
    try (LLM llm = new LLM(args().enablePrefixCaching(false).maxNumSeqs(1).build())) {
      for (int i = 0; i < 64; i++) {
        alone.add(llm.generate(List.of(prompts.get(i)), List.of(params.get(i)), false)
            .getFirst().outputs().getFirst().tokenIds());
      }
    }
  }

  private static List<List<Integer>> batched(LLM llm) {
    List<List<Integer>> out = new ArrayList<>();
    for (RequestOutput o : llm.generate(prompts, params, false)) {
      out.add(o.outputs().getFirst().tokenIds());
    }
    return out;
  }

  @Test
  void batchedEqualsAloneWithAndWithoutPrefixCaching() {
    for (boolean caching : new boolean[] {true, false}) {
      try (LLM llm = new LLM(args().enablePrefixCaching(caching).maxNumBatchedTokens(256).build())) {
        assertEquals(alone, batched(llm), "prefix caching " + caching);
        assertEquals(0, llm.stats().numPreemptions());
        assertTrue(llm.engine().stats().numRequestsRunning() == 0);
      }
    }
  }

  @Test
  void batchedEqualsAloneUnderPreemption() {
    // 16 blocks of 16 tokens: one request of max_model_len 256 fits, 64 at once do not
    long bytesPerBlock = 2L * 2 * 16 * 32 * Float.BYTES; // layers, K+V, slots, kv dim
    for (boolean caching : new boolean[] {true, false}) {
      try (LLM llm = new LLM(args().enablePrefixCaching(caching).kvCacheMemory(16 * bytesPerBlock)
          .maxNumBatchedTokens(128).build())) {
        assertEquals(alone, batched(llm), "prefix caching " + caching);
        assertTrue(llm.stats().numPreemptions() > 0, "the KV budget must force preemption");
      }
    }
  }
}

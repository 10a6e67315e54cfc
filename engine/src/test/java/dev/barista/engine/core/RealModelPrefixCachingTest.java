package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.testing.ReferenceModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A long shared system prompt is computed once; the answers do not change. */
class RealModelPrefixCachingTest {

  private static EngineArgs args(boolean caching) {
    return EngineArgs.builder(ReferenceModel.folder("tiny-qwen3")).device("cpu").maxModelLen(512)
        .kvCacheMemory(32L << 20).enablePrefixCaching(caching).build();
  }

  @Test
  void sharedSystemPromptIsComputedOnce() {
    List<Integer> system = new ArrayList<>();
    for (int i = 0; i < 160; i++) system.add(10 + (i * 37) % 900); // 10 full blocks
    List<PromptInput> prompts = new ArrayList<>();
    int suffixTokens = 0;
    for (int q = 0; q < 8; q++) {
      List<Integer> p = new ArrayList<>(system);
      for (int i = 0; i <= q; i++) p.add(20 + q * 11 + i);
      suffixTokens += q + 1;
      prompts.add(PromptInput.tokens(p));
    }
    SamplingParams greedy = SamplingParams.builder().temperature(0).maxTokens(6).ignoreEos(true).build();

    List<RequestOutput> cached = new ArrayList<>();
    EngineStats stats;
    try (LLM llm = new LLM(args(true))) {
      cached.addAll(llm.generate(prompts.subList(0, 1), greedy));
      cached.addAll(llm.generate(prompts.subList(1, 8), greedy)); // all find the system prompt
      stats = llm.stats();
    }
    assertEquals(7 * 160, stats.prefixCacheHits());
    assertEquals(8 * 160 + suffixTokens, stats.prefixCacheQueries());
    assertEquals(160 + suffixTokens, stats.computedPromptTokens(), "system prompt computed once");
    assertEquals(7 * 160, cached.subList(1, 8).stream().mapToInt(RequestOutput::numCachedTokens).sum());

    try (LLM llm = new LLM(args(false))) {
      List<RequestOutput> uncached = llm.generate(prompts, greedy);
      assertEquals(8 * 160 + suffixTokens, llm.stats().computedPromptTokens());
      for (int i = 0; i < 8; i++) {
        assertEquals(uncached.get(i).outputs(), cached.get(i).outputs(), "prompt " + i);
      }
    }
  }

  @Test
  void nCompletionsSharePromptBlocksAndDifferWhenSampled() {
    List<Integer> prompt = Collections.nCopies(64, 42);
    try (LLM llm = new LLM(args(true))) {
      RequestOutput o = llm.generate(List.of(PromptInput.tokens(prompt)), SamplingParams.builder()
          .n(4).temperature(1.0).seed(3L).maxTokens(8).ignoreEos(true).build()).getFirst();
      assertEquals(4, o.outputs().size());
      for (int k = 0; k < 4; k++) assertEquals(k, o.outputs().get(k).index());
      assertNotEquals(o.outputs().get(0).tokenIds(), o.outputs().get(1).tokenIds());
      // the first completion computes 64 prompt tokens, the others only the last block
      assertEquals(64 + 3 * 16, llm.stats().computedPromptTokens());
      RequestOutput again = llm.generate(List.of(PromptInput.tokens(prompt)), SamplingParams
          .builder().n(4).temperature(1.0).seed(3L).maxTokens(8).ignoreEos(true).build()).getFirst();
      assertEquals(o.outputs(), again.outputs(), "a seeded request repeats itself");
    }
  }
}

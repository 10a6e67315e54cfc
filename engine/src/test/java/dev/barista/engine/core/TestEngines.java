package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds engine cores over {@link PagedCheckingRunner} and drives them to completion. */
final class TestEngines {
  static final int EOS = 0;

  private TestEngines() {}

  static final SamplingStates NO_SAMPLING = new SamplingStates() {
    @Override
    public SequenceSamplingState create(int[] prompt, SamplingParams p, int index, Set<Integer> eos,
        List<int[]> badWords) {
      return null;
    }

    @Override
    public void appendOutput(SequenceSamplingState state, int tokenId) {}
  };

  static EngineCore core(int numBlocks, int blockSize, boolean prefixCaching, int budget,
      int maxNumSeqs, SchedulingPolicy policy) {
    PagedCheckingRunner runner = new PagedCheckingRunner(1000);
    runner.allocateKvCache(numBlocks, blockSize);
    BlockPool pool = new BlockPool(numBlocks, prefixCaching);
    Scheduler scheduler = new Scheduler(new SchedulerConfig(budget, maxNumSeqs, 4096, policy),
        new KvCacheManager(pool, blockSize));
    return new EngineCore(runner, scheduler, Set.of(EOS), NO_SAMPLING);
  }

  /** Steps until nothing is left; returns each request's completions' tokens by id. */
  static Map<String, List<List<Integer>>> runToEnd(EngineCore core) {
    Map<String, List<List<Integer>>> out = new HashMap<>();
    int idle = 0;
    while (core.hasUnfinished()) {
      List<EngineCoreOutput> step = core.step();
      if (step.isEmpty() && ++idle > 5) throw new AssertionError("engine stalled");
      collect(out, step);
    }
    return out;
  }

  static void collect(Map<String, List<List<Integer>>> out, List<EngineCoreOutput> step) {
    for (EngineCoreOutput o : step) {
      List<List<Integer>> completions = out.computeIfAbsent(o.parentId(), k -> new ArrayList<>());
      while (completions.size() <= o.completionIndex()) completions.add(new ArrayList<>());
      for (int t : o.newTokenIds()) completions.get(o.completionIndex()).add(t);
    }
  }

  static int[] prompt(int seed, int length) {
    int[] p = new int[length];
    for (int i = 0; i < length; i++) p[i] = 1 + Math.floorMod(seed * 7919 + i * 104729, 999);
    return p;
  }

  static SamplingParams greedy(int maxTokens) {
    return SamplingParams.builder().temperature(0).maxTokens(maxTokens).ignoreEos(true).build();
  }
}

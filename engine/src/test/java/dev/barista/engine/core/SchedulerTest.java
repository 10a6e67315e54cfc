package dev.barista.engine.core;

import static dev.barista.engine.core.TestEngines.core;
import static dev.barista.engine.core.TestEngines.greedy;
import static dev.barista.engine.core.TestEngines.prompt;
import static dev.barista.engine.core.TestEngines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  /** 64 requests of mixed lengths, each also run alone on a fresh engine. */
  private static Map<String, List<List<Integer>>> solo(int count) {
    Map<String, List<List<Integer>>> expected = new HashMap<>();
    for (int i = 0; i < count; i++) {
      EngineCore alone = core(64, 16, false, 4096, 1, SchedulingPolicy.FCFS);
      alone.add("r" + i, prompt(i, 1 + (i * 37) % 150), greedy(1 + (i * 13) % 40), 0);
      expected.putAll(runToEnd(alone));
    }
    return expected;
  }

  private static EngineCore submitAll(EngineCore core, int count) {
    for (int i = 0; i < count; i++) {
      core.add("r" + i, prompt(i, 1 + (i * 37) % 150), greedy(1 + (i * 13) % 40), 0);
    }
    return core;
  }

  @Test
  void batchedOutputsEqualSoloOutputs() {
    Map<String, List<List<Integer>>> expected = solo(64);
    for (boolean caching : new boolean[] {true, false}) {
      EngineCore core = submitAll(core(400, 16, caching, 256, 32, SchedulingPolicy.FCFS), 64);
      assertEquals(expected, runToEnd(core), "prefix caching " + caching);
      assertEquals(0, core.scheduler().counters().numPreemptions());
      assertAllFree(core);
    }
  }

  @Test
  void preemptionByRecomputeKeepsOutputsIdentical() {
    Map<String, List<List<Integer>>> expected = solo(64);
    for (boolean caching : new boolean[] {true, false}) {
      EngineCore core = submitAll(core(24, 16, caching, 128, 32, SchedulingPolicy.FCFS), 64);
      assertEquals(expected, runToEnd(core), "prefix caching " + caching);
      assertTrue(core.scheduler().counters().numPreemptions() > 0, "the test must preempt");
      assertAllFree(core);
    }
  }

  @Test
  void stepsStayWithinTheTokenBudgetAndSequenceLimit() {
    EngineCore core = submitAll(core(400, 16, true, 48, 5, SchedulingPolicy.FCFS), 40);
    runToEnd(core);
    PagedCheckingRunner runner = (PagedCheckingRunner) core.runner();
    assertEquals(48, runner.maxBatchTokens);
    assertEquals(5, runner.maxBatchSeqs);
  }

  @Test
  void longPromptIsChunkedWhileDecodesGoOn() {
    EngineCore core = core(100, 16, true, 32, 8, SchedulingPolicy.FCFS);
    core.add("short", prompt(1, 4), greedy(30), 0);
    core.step(); // prefill of the short one, first token
    core.add("long", prompt(2, 200), greedy(1), 0);
    int steps = 0;
    int shortTokens = 1;
    while (core.scheduler().get("long") != null
        && core.scheduler().get("long").numOutputTokens() == 0) {
      List<EngineCoreOutput> out = core.step();
      steps++;
      for (EngineCoreOutput o : out) if (o.parentId().equals("short")) shortTokens++;
    }
    // 200 prompt tokens at 31 per step (one token of the budget goes to the decode)
    assertEquals(7, steps);
    assertEquals(1 + steps, shortTokens, "the short request decoded every step");
  }

  @Test
  void noAdmissionInAStepThatPreempted() {
    EngineCore core = submitAll(core(20, 16, true, 256, 32, SchedulingPolicy.FCFS), 64);
    Scheduler s = core.scheduler();
    boolean sawPreemption = false;
    while (core.hasUnfinished()) {
      Set<EngineRequest> runningBefore = new HashSet<>();
      for (EngineRequest r : s.liveRequests()) if (r.status == RequestStatus.RUNNING) runningBefore.add(r);
      SchedulerOutput out = s.schedule();
      if (!out.preempted().isEmpty()) {
        sawPreemption = true;
        for (ScheduledSlice slice : out.slices()) {
          assertTrue(runningBefore.contains(slice.request()), "admitted " + slice.request());
        }
      }
      s.update(out, core.runner().execute(toBatch(out)));
    }
    assertTrue(sawPreemption);
    assertAllFree(core);
  }

  @Test
  void fcfsPreemptsTheLastAdmittedAndPutsItFirst() {
    EngineCore core = core(6, 4, false, 64, 8, SchedulingPolicy.FCFS);
    core.add("a", prompt(1, 7), greedy(20), 0);
    core.add("b", prompt(2, 7), greedy(20), 0);
    core.add("c", prompt(3, 7), greedy(20), 0);
    Scheduler s = core.scheduler();
    core.step(); // a, b, c each take 2 blocks (8 slots) for 7 prompt tokens
    core.step(); // their first output tokens fill the 8th slots
    SchedulerOutput out = s.schedule(); // each needs a third block: c goes
    assertEquals(List.of("c"), out.preempted().stream().map(EngineRequest::id).toList());
    assertEquals(RequestStatus.PREEMPTED, s.get("c").status());
    assertEquals(0, s.get("c").numComputedTokens());
  }

  @Test
  void priorityPolicyAdmitsLowestValueFirstAndPreemptsTheHighest() {
    EngineCore core = core(100, 16, false, 4096, 1, SchedulingPolicy.PRIORITY);
    core.add("late-important", prompt(1, 5), greedy(3), 5);
    core.add("low", prompt(2, 5), greedy(3), 9);
    core.add("high", prompt(3, 5), greedy(3), 1);
    core.add("high-2", prompt(4, 5), greedy(3), 1);
    List<String> finishOrder = new ArrayList<>();
    while (core.hasUnfinished()) {
      for (EngineCoreOutput o : core.step()) if (o.finished()) finishOrder.add(o.parentId());
    }
    assertEquals(List.of("high", "high-2", "late-important", "low"), finishOrder);

    EngineCore small = core(6, 4, false, 64, 8, SchedulingPolicy.PRIORITY);
    small.add("p0", prompt(1, 7), greedy(20), 0);
    small.add("p9", prompt(2, 7), greedy(20), 9);
    small.add("p5", prompt(3, 7), greedy(20), 5);
    small.step();
    small.step();
    SchedulerOutput out = small.scheduler().schedule();
    assertEquals(List.of("p9"), out.preempted().stream().map(EngineRequest::id).toList());
  }

  @Test
  void sharedPrefixIsComputedOnce() {
    EngineCore core = core(200, 16, true, 4096, 8, SchedulingPolicy.FCFS);
    int[] system = prompt(42, 128);
    int suffixTotal = 0;
    for (int i = 0; i < 6; i++) {
      int[] suffix = prompt(100 + i, 5 + i);
      int[] p = concat(system, suffix);
      suffixTotal += suffix.length;
      core.add("q" + i, p, greedy(4), 0);
      runToEnd(core); // one after the other: each later one finds the system prompt cached
    }
    SchedulerCounters c = core.scheduler().counters();
    assertEquals(128 + suffixTotal, c.computedPromptTokens());
    assertEquals(5 * 128, c.prefixCacheHits());
  }

  @Test
  void nCompletionsShareThePromptBlocks() {
    EngineCore core = core(200, 16, true, 4096, 8, SchedulingPolicy.FCFS);
    core.add("n4", prompt(5, 64), SamplingParams.builder().n(4).temperature(0).maxTokens(3)
        .ignoreEos(true).build(), 0);
    Map<String, List<List<Integer>>> out = runToEnd(core);
    assertEquals(4, out.get("n4").size());
    // the leader computes 64; the others reuse 3 full blocks and compute the last 16
    assertEquals(64 + 3 * 16, core.scheduler().counters().computedPromptTokens());
    assertAllFree(core);
  }

  @Test
  void randomizedRequestsWithAbortsLeaveEveryBlockFree() {
    Random rnd = new Random(1234);
    for (boolean caching : new boolean[] {true, false}) {
      EngineCore core = core(60, 8, caching, 96, 24, SchedulingPolicy.FCFS);
      List<String> live = new ArrayList<>();
      int submitted = 0;
      while (submitted < 2500 || core.hasUnfinished()) {
        for (int k = rnd.nextInt(4); k > 0 && submitted < 2500; k--) {
          String id = "x" + submitted;
          SamplingParams p = SamplingParams.builder().n(1 + rnd.nextInt(3)).temperature(0)
              .maxTokens(1 + rnd.nextInt(24)).build();
          core.add(id, prompt(rnd.nextInt(50), 1 + rnd.nextInt(60)), p, rnd.nextInt(3));
          live.add(id);
          submitted++;
        }
        if (!live.isEmpty() && rnd.nextInt(5) == 0) core.abort(live.remove(rnd.nextInt(live.size())));
        core.step();
        assertTrue(core.scheduler().kvCacheManager().pool().numFreeBlocks() >= 0);
      }
      assertAllFree(core);
      assertEquals(0, core.numUnfinishedRequests());
      assertEquals(0, core.scheduler().numRunning() + core.scheduler().numWaiting());
    }
  }

  static void assertAllFree(EngineCore core) {
    BlockPool pool = core.scheduler().kvCacheManager().pool();
    assertEquals(pool.numBlocks(), pool.numFreeBlocks(), "every block is back in the pool");
    assertTrue(core.scheduler().liveRequests().isEmpty());
  }

  private static dev.barista.engine.runner.ForwardBatch toBatch(SchedulerOutput out) {
    List<dev.barista.engine.runner.SequenceSlice> slices = new ArrayList<>();
    for (ScheduledSlice s : out.slices()) {
      EngineRequest r = s.request();
      slices.add(new dev.barista.engine.runner.SequenceSlice(null,
          r.tokens.slice(s.startPosition(), s.startPosition() + s.numTokens()), s.startPosition(),
          r.blockIds(), s.sample(), false));
    }
    return new dev.barista.engine.runner.ForwardBatch(slices);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}

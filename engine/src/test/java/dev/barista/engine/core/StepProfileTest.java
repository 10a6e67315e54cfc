package dev.barista.engine.core;

import static dev.barista.engine.core.TestEngines.core;
import static dev.barista.engine.core.TestEngines.greedy;
import static dev.barista.engine.core.TestEngines.prompt;
import static dev.barista.engine.core.TestEngines.runToEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.StepTimes;
import org.junit.jupiter.api.Test;

/** The engine's step profile: which steps count as prefill, and what their times add up to. */
class StepProfileTest {

  @Test
  void promptsInOneStepThenDecodeOnlySteps() {
    EngineCore core = core(64, 16, false, 4096, 8, SchedulingPolicy.FCFS);
    core.add("a", prompt(1, 10), greedy(5), 0);
    core.add("b", prompt(2, 20), greedy(5), 0);
    long start = System.nanoTime();
    runToEnd(core);
    double wall = (System.nanoTime() - start) / 1e9;
    StepTimes t = core.stepTimes();
    // both prompts fit the budget: one step computes them and samples each first token; the other
    // four tokens of each take four steps of one token per sequence (the last is never computed)
    assertEquals(1, t.prefill().steps());
    assertEquals(30, t.prefill().tokens());
    assertEquals(4, t.decode().steps());
    assertEquals(8, t.decode().tokens());
    assertEquals(core.steps(), t.steps());
    assertTrue(t.seconds() > 0 && t.seconds() <= wall, t.seconds() + " s of steps in " + wall + " s");
    assertTrue(t.hostSeconds() >= 0 && t.hostSeconds() <= t.seconds());
    assertTrue(t.decode().medianMillis() > 0);
  }

  @Test
  void aDecodeTokenBesideAPromptChunkIsAPrefillStep() {
    EngineCore core = core(64, 16, false, 16, 8, SchedulingPolicy.FCFS);
    core.add("a", prompt(1, 4), greedy(3), 0);
    core.step(); // a's prompt
    core.add("b", prompt(2, 40), greedy(1), 0);
    core.step(); // a's second token and 15 of b's prompt tokens
    StepTimes t = core.stepTimes();
    assertEquals(2, t.prefill().steps());
    assertEquals(4 + 16, t.prefill().tokens());
    assertEquals(0, t.decode().steps());
    runToEnd(core);
    StepTimes end = core.stepTimes();
    // b's remaining 25 prompt tokens take two more steps (15 + 10 beside a's last token), so a
    // never decodes alone: every token is in a prefill step
    assertEquals(4 + 2 + 40, end.prefill().tokens() + end.decode().tokens());
    StepTimes later = end.since(t);
    assertEquals(end.steps() - 2, later.steps());
    assertEquals(end.prefill().tokens() - 20, later.prefill().tokens());
  }

  @Test
  void recomputedTokensAfterAPreemptionCountAsPrefill() {
    EngineCore core = core(6, 16, false, 128, 8, SchedulingPolicy.FCFS);
    for (int i = 0; i < 4; i++) core.add("r" + i, prompt(i, 20), greedy(30), 0);
    runToEnd(core);
    assertTrue(core.scheduler().counters().numPreemptions() > 0, "the test must preempt");
    StepTimes t = core.stepTimes();
    long computed = t.prefill().tokens() + t.decode().tokens();
    assertEquals(core.scheduler().counters().computedTokens(), computed);
    // more than the prompts were prefilled: the preempted sequences' tokens again
    assertTrue(t.prefill().tokens() > 4 * 20, t.prefill().tokens() + " prefill tokens");
  }

  @Test
  void medianFromTheHistogram() {
    long[] h = new long[StepTimes.BUCKETS];
    h[StepTimes.Kind.bucket(1_000_000)] += 3;
    h[StepTimes.Kind.bucket(100_000_000)] += 2;
    double median = new StepTimes.Kind(5, 0.203, 50, h).medianMillis();
    assertTrue(Math.abs(median - 1.0) <= 0.05, median + " ms");
    assertEquals(0, StepTimes.Kind.bucket(5_000));
    assertEquals(StepTimes.BUCKETS - 1, StepTimes.Kind.bucket(Long.MAX_VALUE));
    assertEquals(0.0, StepTimes.EMPTY.decode().medianMillis());
    assertThrows(IllegalArgumentException.class, () -> new StepTimes.Kind(0, 0, 0, new long[3]));
  }
}

package dev.barista.engine.core;

import static dev.barista.engine.core.TestEngines.core;
import static dev.barista.engine.core.TestEngines.prompt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.api.SamplingParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AsyncEngineTest {

  private static AsyncEngine engine(int numBlocks) {
    return new AsyncEngine(core(numBlocks, 16, true, 128, 32, SchedulingPolicy.FCFS),
        new LetterCodec());
  }

  private static PromptInput ids(int[] p) {
    return PromptInput.tokens(Arrays.stream(p).boxed().toList());
  }

  private static SamplingParams.Builder greedy(int maxTokens) {
    return SamplingParams.builder().temperature(0).maxTokens(maxTokens).ignoreEos(true);
  }

  private static RequestOutput last(RequestOutputStream s) throws InterruptedException {
    RequestOutput last = null;
    for (RequestOutput o = s.next(); o != null; o = s.next()) last = o;
    return last;
  }

  @Test
  void outputKindsAgreeOnTheFinalResult() throws Exception {
    try (AsyncEngine engine = engine(200)) {
      int[] p = prompt(3, 20);
      CompletionOutput fin = last(engine.generate("f", ids(p),
          greedy(30).outputKind(RequestOutputKind.FINAL_ONLY).build(), 0)).outputs().getFirst();
      assertEquals(30, fin.tokenIds().size());
      assertEquals("length", fin.finishReason());

      RequestOutputStream cumulative = engine.generate("c", ids(p),
          greedy(30).outputKind(RequestOutputKind.CUMULATIVE).build(), 0);
      RequestOutput o;
      RequestOutput lastCumulative = null;
      while ((o = cumulative.next()) != null) lastCumulative = o;
      assertEquals(fin, lastCumulative.outputs().getFirst());

      RequestOutputStream delta = engine.generate("d", ids(p),
          greedy(30).outputKind(RequestOutputKind.DELTA).build(), 0);
      StringBuilder text = new StringBuilder();
      List<Integer> tokens = new ArrayList<>();
      while ((o = delta.next()) != null) {
        text.append(o.outputs().getFirst().text());
        tokens.addAll(o.outputs().getFirst().tokenIds());
      }
      assertEquals(fin.text(), text.toString());
      assertEquals(fin.tokenIds(), tokens);
    }
  }

  @Test
  void stopStringsEndTheTextAndAreHeldBackWhileStreaming() throws Exception {
    try (AsyncEngine engine = engine(200)) {
      int[] p = prompt(9, 12);
      String full = last(engine.generate("full", ids(p), greedy(40).build(), 0))
          .outputs().getFirst().text();
      String stop = full.substring(20, 23);
      int cut = full.indexOf(stop);
      for (boolean include : new boolean[] {false, true}) {
        RequestOutputStream s = engine.generate("s" + include, ids(p), greedy(40)
            .stop(List.of(stop)).includeStopStrInOutput(include)
            .outputKind(RequestOutputKind.DELTA).build(), 0);
        StringBuilder streamed = new StringBuilder();
        RequestOutput o;
        CompletionOutput c = null;
        while ((o = s.next()) != null) {
          c = o.outputs().getFirst();
          streamed.append(c.text());
          if (!include && !o.finished()) {
            assertFalse(streamed.toString().contains(stop.substring(0, 1))
                && streamed.length() > cut, "text past the stop was streamed: " + streamed);
          }
        }
        String expected = include ? full.substring(0, cut + stop.length()) : full.substring(0, cut);
        assertEquals(expected, streamed.toString());
        assertEquals("stop", c.finishReason());
        assertEquals(stop, c.stopReason());
      }
      assertEquals(0, engine.numUnfinishedRequests());
      assertEquals(200, (int) engine.onEngineThread(
          () -> engine_core(engine).scheduler().kvCacheManager().pool().numFreeBlocks()));
    }
  }

  @Test
  void manyVirtualThreadClientsWithAbortsLeaveNothingBehind() throws Exception {
    try (AsyncEngine engine = engine(120);
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      ConcurrentHashMap<String, Integer> lengths = new ConcurrentHashMap<>();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        int k = i;
        futures.add(pool.submit(() -> {
          SamplingParams sp = greedy(5 + k % 30).n(1 + k % 3)
              .outputKind(RequestOutputKind.values()[k % 3]).build();
          try (RequestOutputStream s = engine.generate("v" + k, ids(prompt(k, 1 + k % 70)), sp, 0)) {
            if (k % 4 == 0) {
              s.next(); // read one output, then hang up: closing aborts
              return null;
            }
            if (k % 7 == 0) engine.abort("v" + k);
            RequestOutput o = last(s);
            // DELTA outputs carry only the completions that changed
            if (sp.outputKind() != RequestOutputKind.DELTA) lengths.put("v" + k, o.outputs().size());
            assertTrue(o.finished());
          }
          return null;
        }));
      }
      for (Future<?> f : futures) f.get();
      // hang-ups and aborts are queued commands and output tasks: wait for them, not a fixed time
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (engine.numUnfinishedRequests() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
      assertEquals(0, (int) engine.onEngineThread(() -> engine_core(engine).numUnfinishedRequests()));
      assertEquals(120, (int) engine.onEngineThread(
          () -> engine_core(engine).scheduler().kvCacheManager().pool().numFreeBlocks()));
      assertEquals(0, engine.numUnfinishedRequests());
      for (var e : lengths.entrySet()) {
        int k = Integer.parseInt(e.getKey().substring(1));
        assertEquals(1 + k % 3, (int) e.getValue());
      }
    }
  }

  @Test
  void badRequestsFailInTheCallersThread() throws Exception {
    try (AsyncEngine engine = engine(50)) {
      InvalidParameterException e = assertThrows(InvalidParameterException.class,
          () -> engine.generate("e", PromptInput.tokens(List.of()), greedy(3).build(), 0));
      assertEquals("prompt", e.field());
      // hold the engine loop so that the first "dup" is surely still running
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
      Thread.ofVirtual().start(() -> {
        try {
          engine.onEngineThread(() -> {
            held.countDown();
            try {
              return release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
              return false;
            }
          });
        } catch (InterruptedException ignored) {
          // test ends
        }
      });
      assertTrue(held.await(10, java.util.concurrent.TimeUnit.SECONDS), "engine loop held");
      engine.generate("dup", ids(prompt(1, 5)), greedy(200).build(), 0);
      assertThrows(InvalidParameterException.class,
          () -> engine.generate("dup", ids(prompt(1, 5)), greedy(3).build(), 0));
      release.countDown();
      assertEquals("prompt", assertThrows(InvalidParameterException.class,
          () -> engine.generate("long", ids(prompt(1, 5000)), greedy(3).build(), 0)).field());
    }
  }

  @Test
  void abortEndsTheStreamWithAbortAndFreesBlocks() throws Exception {
    try (AsyncEngine engine = engine(50)) {
      java.util.concurrent.Semaphore gate = gateSteps(engine, 1);
      RequestOutputStream s = engine.generate("a", ids(prompt(2, 40)), greedy(2000)
          .outputKind(RequestOutputKind.DELTA).build(), 0);
      s.next();
      engine.abort("a");
      gate.release(1_000_000);
      RequestOutput o = last(s);
      assertTrue(o.finished());
      assertEquals("abort", o.outputs().getFirst().finishReason());
      assertNull(s.next());
      assertEquals(50, (int) engine.onEngineThread(
          () -> engine_core(engine).scheduler().kvCacheManager().pool().numFreeBlocks()));
    }
  }

  @Test
  void statisticsCountWhatHappened() throws Exception {
    try (AsyncEngine engine = engine(200)) {
      int promptTokens = 0;
      for (int i = 0; i < 6; i++) {
        promptTokens += 3 + i;
        last(engine.generate("s" + i, ids(prompt(i, 3 + i)), greedy(4 + i).build(), 0));
      }
      java.util.concurrent.Semaphore gate = gateSteps(engine, 1);
      RequestOutputStream aborted = engine.generate("ab", ids(prompt(9, 5)), greedy(1000).build(), 0);
      aborted.next();
      engine.abort("ab");
      gate.release(1_000_000);
      last(aborted);
      dev.barista.engine.api.EngineStats st =
          engine.onEngineThread(() -> engine_core(engine).stats());
      int generated = 4 + 5 + 6 + 7 + 8 + 9;
      assertEquals(java.util.Map.of("length", 6L, "abort", 1L), st.requestSuccess());
      assertEquals(7, st.timeToFirstToken().count());
      assertEquals(6, st.e2eRequestLatency().count(), "aborted requests have no e2e latency");
      assertEquals(7, st.requestQueueTime().count());
      assertTrue(st.generationTokens() >= generated + 1);
      assertEquals(promptTokens + 5, st.promptTokens());
      assertEquals(st.generationTokens() - 7, st.interTokenLatency().count());
      assertEquals(0, st.numRequestsRunning());
      assertEquals(0, st.numRequestsWaiting());
      assertEquals(0.0, st.kvCacheUsagePerc());
      long inBuckets = 0;
      for (long c : st.timeToFirstToken().bucketCounts()) inBuckets += c;
      assertEquals(7, inBuckets);
    }
  }

  /** From now on the engine runs only as many steps as the returned gate gives permits. */
  private static java.util.concurrent.Semaphore gateSteps(AsyncEngine engine, int steps)
      throws InterruptedException {
    java.util.concurrent.Semaphore gate = new java.util.concurrent.Semaphore(steps);
    engine.onEngineThread(() -> {
      ((PagedCheckingRunner) engine_core(engine).runner()).stepGate = gate;
      return null;
    });
    return gate;
  }

  private static EngineCore engine_core(AsyncEngine e) {
    return e.core();
  }
}

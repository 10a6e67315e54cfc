package dev.barista.engine.core;

import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.api.StepTimes;
import dev.barista.engine.runner.ForwardBatch;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.SequenceSlice;
import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's inner loop, single-threaded: schedule a step, run the model over it, apply the
 * results. Requests with n > 1 are split into n sequences here.
 */
public final class EngineCore implements AutoCloseable {
  private final ModelRunner runner;
  private final Scheduler scheduler;
  private final Set<Integer> eosTokenIds;
  private final SamplingStates samplingStates;
  private final Map<String, List<EngineRequest>> byParent = new HashMap<>();
  private final java.util.SplittableRandom unseeded;
  private long arrivals;
  private long steps;

  public EngineCore(ModelRunner runner, Scheduler scheduler, Set<Integer> eosTokenIds,
      SamplingStates samplingStates) {
    this(runner, scheduler, eosTokenIds, samplingStates, 0);
  }

  /** @param seed seeds the seeds of requests that bring none */
  public EngineCore(ModelRunner runner, Scheduler scheduler, Set<Integer> eosTokenIds,
      SamplingStates samplingStates, long seed) {
    this.unseeded = new java.util.SplittableRandom(seed);
    this.runner = runner;
    this.scheduler = scheduler;
    this.eosTokenIds = Set.copyOf(eosTokenIds);
    this.samplingStates = samplingStates;
  }

  /** The runner's sequence-classifier head, or null (see {@link ModelRunner#classifierHead()}). */
  public dev.barista.engine.weights.Tensor classifierHead() {
    return runner.classifierHead();
  }

  public Set<Integer> eosTokenIds() {
    return eosTokenIds;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public ModelRunner runner() {
    return runner;
  }

  public int maxModelLen() {
    return scheduler.config().maxModelLen();
  }

  private final StepProfile profile = new StepProfile();
  /** Pooling requests by parent id: who takes the final hidden state of their last prompt position. */
  private final Map<String, java.util.function.Consumer<float[]>> poolers = new HashMap<>();

  /**
   * Makes request {@code requestId} (added next, n = 1) a pooling request: the step that computes
   * its last prompt position hands that position's final-normed hidden state to {@code taker}.
   */
  public void pool(String requestId, java.util.function.Consumer<float[]> taker) {
    poolers.put(requestId, taker);
  }

  public long steps() {
    return steps;
  }

  /** Queues a request (its n completions) for scheduling. */
  public void add(String requestId, int[] promptTokenIds, SamplingParams params, int priority) {
    add(requestId, promptTokenIds, params, priority,
        samplingStates(promptTokenIds, params, badWords(params)));
  }

  /** The sampling states of a request's completions; validates token ids against the model. */
  public List<SequenceSamplingState> samplingStates(int[] promptTokenIds, SamplingParams params,
      List<int[]> badWordsTokenIds) {
    if (params.seed() == null) params = params.toBuilder().seed(nextSeed()).build();
    List<SequenceSamplingState> states = new ArrayList<>(params.n());
    for (int k = 0; k < params.n(); k++) {
      states.add(samplingStates.create(promptTokenIds, params, k, eosTokenIds, badWordsTokenIds));
    }
    return states;
  }

  /** Unseeded requests draw their seeds from the engine's seed, so whole runs are repeatable. */
  private synchronized long nextSeed() {
    return unseeded.nextLong();
  }

  private static List<int[]> badWords(SamplingParams params) {
    if (!params.badWords().isEmpty()) {
      throw new dev.barista.engine.api.InvalidParameterException("bad_words",
          "bad_words need a tokenizer");
    }
    return List.of();
  }

  /** Queues a request whose sampling states were made (and validated) by the caller. */
  public void add(String requestId, int[] promptTokenIds, SamplingParams params, int priority,
      List<SequenceSamplingState> states) {
    if (byParent.containsKey(requestId)) {
      throw new IllegalArgumentException("request id " + requestId + " is already running");
    }
    long arrival = arrivals++;
    List<EngineRequest> children = new ArrayList<>(params.n());
    EngineRequest leader = null;
    for (int k = 0; k < params.n(); k++) {
      String id = params.n() == 1 ? requestId : requestId + "#" + k;
      SequenceSamplingState sampling = states.get(k);
      EngineRequest r = new EngineRequest(id, requestId, k, promptTokenIds, params, priority,
          arrival, maxModelLen(), eosTokenIds, sampling, leader);
      if (leader == null) leader = r;
      children.add(r);
      scheduler.add(r);
    }
    byParent.put(requestId, children);
  }

  /** Ends every completion of a request, freeing its blocks now; unknown ids are ignored. */
  public void abort(String requestId) {
    poolers.remove(requestId);
    List<EngineRequest> children = byParent.remove(requestId);
    if (children == null) return;
    for (EngineRequest r : children) scheduler.finish(r.id, FinishReason.ABORT);
  }

  /** Ends one completion (e.g. a stop string was found in its text). */
  public void finishCompletion(String requestId, int completionIndex) {
    List<EngineRequest> children = byParent.get(requestId);
    if (children == null) return;
    scheduler.finish(children.get(completionIndex).id, FinishReason.STOP);
    forgetIfDone(requestId, children);
  }

  public boolean hasUnfinished() {
    return scheduler.hasUnfinished();
  }

  /** Runs one step; returns what it produced (empty when nothing was runnable). */
  public List<EngineCoreOutput> step() {
    long start = System.nanoTime();
    SchedulerOutput out = scheduler.schedule();
    if (out.isEmpty()) return List.of();
    boolean prefill = StepProfile.hasPrefill(out);
    ForwardBatch batch = toBatch(out);
    long runnerStart = System.nanoTime();
    StepResult result = runner.execute(batch);
    long runnerNanos = System.nanoTime() - runnerStart;
    steps++;
    for (int i = 0; i < batch.slices().size(); i++) {
      if (batch.slices().get(i).pool()) {
        poolers.remove(out.slices().get(i).request().parentId).accept(result.slices().get(i).pooled());
      }
    }
    List<EngineCoreOutput> outputs = scheduler.update(out, result);
    for (ScheduledSlice s : out.slices()) {
      EngineRequest r = s.request();
      if (s.sample()) samplingStates.appendOutput(r.sampling, r.tokens.get(r.numTokens() - 1));
      if (r.isFinished()) forgetIfDone(r.parentId, byParent.get(r.parentId));
    }
    profile.record(prefill, out.numTokens(), System.nanoTime() - start, runnerNanos);
    return outputs;
  }

  /** Where the steps so far spent their time; safe to call from any thread. */
  public StepTimes stepTimes() {
    return profile.snapshot();
  }

  public EngineStats stats() {
    return scheduler.stats();
  }

  private void forgetIfDone(String parentId, List<EngineRequest> children) {
    if (children == null) return;
    for (EngineRequest c : children) if (!c.isFinished()) return;
    byParent.remove(parentId);
  }

  private ForwardBatch toBatch(SchedulerOutput out) {
    List<SequenceSlice> slices = new ArrayList<>(out.slices().size());
    for (ScheduledSlice s : out.slices()) {
      EngineRequest r = s.request();
      int[] tokens = r.tokens.slice(s.startPosition(), s.startPosition() + s.numTokens());
      slices.add(new SequenceSlice(r.sampling, tokens, s.startPosition(), r.blockIds(), s.sample(),
          s.promptLogprobs(), s.sample() && poolers.containsKey(r.parentId)));
    }
    return new ForwardBatch(slices);
  }

  /** Number of requests (not completions) not yet finished. */
  public int numUnfinishedRequests() {
    return byParent.size();
  }

  @Override
  public void close() {
    runner.close();
  }
}

package dev.barista.engine.core;

import dev.barista.engine.runner.StepResult;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continuous batching in the manner of vLLM V1: each step spends a token budget on running
 * requests first (decodes and the next chunks of long prompts), preempting by recompute when KV
 * blocks run out, then admits waiting requests, but only in steps that preempted nothing.
 *
 * <p>Not thread-safe: the engine loop owns it.
 */
public final class Scheduler {
  private final SchedulerConfig config;
  private final KvCacheManager kv;
  private final WaitingQueue waiting;
  private final List<EngineRequest> running = new ArrayList<>();
  private final Map<String, EngineRequest> live = new HashMap<>();
  private final SchedulerCounters counters = new SchedulerCounters();

  public Scheduler(SchedulerConfig config, KvCacheManager kv) {
    this.config = config;
    this.kv = kv;
    this.waiting = WaitingQueue.of(config.policy());
  }

  public SchedulerConfig config() {
    return config;
  }

  public KvCacheManager kvCacheManager() {
    return kv;
  }

  public SchedulerCounters counters() {
    return counters;
  }

  public int numRunning() {
    return running.size();
  }

  public int numWaiting() {
    return waiting.size();
  }

  public boolean hasUnfinished() {
    return !live.isEmpty();
  }

  public void add(EngineRequest r) {
    if (live.putIfAbsent(r.id, r) != null) {
      throw new IllegalArgumentException("request id " + r.id + " is already running");
    }
    waiting.add(r);
  }

  public EngineRequest get(String id) {
    return live.get(id);
  }

  /** Ends a request wherever it is, freeing its blocks at once; false when it is not live. */
  public boolean finish(String id, FinishReason reason) {
    EngineRequest r = live.remove(id);
    if (r == null) return false;
    if (r.status == RequestStatus.RUNNING) running.remove(r);
    else waiting.remove(r);
    markFinished(r, reason, null);
    return true;
  }

  public SchedulerOutput schedule() {
    Map<EngineRequest, ScheduledSlice> scheduled = new LinkedHashMap<>();
    List<EngineRequest> preempted = new ArrayList<>();
    int budget = config.maxNumBatchedTokens();

    for (EngineRequest r : List.copyOf(running)) {
      if (budget == 0) break;
      if (r.status != RequestStatus.RUNNING) continue; // preempted earlier in this loop
      int numNew = Math.min(r.numTokens() - r.numComputedTokens, budget);
      if (numNew <= 0) continue;
      boolean allocated;
      while (!(allocated = kv.allocateSlots(r, numNew, List.of()))) {
        EngineRequest victim = pickVictim();
        ScheduledSlice undone = scheduled.remove(victim);
        if (undone != null) budget += undone.numTokens();
        preempt(victim);
        preempted.add(victim);
        if (victim == r) break;
      }
      if (!allocated) continue;
      scheduled.put(r, slice(r, numNew));
      budget -= numNew;
    }

    if (preempted.isEmpty()) budget = admitWaiting(scheduled, budget);
    return new SchedulerOutput(List.copyOf(scheduled.values()), preempted);
  }

  private int admitWaiting(Map<EngineRequest, ScheduledSlice> scheduled, int budget) {
    List<EngineRequest> skipped = new ArrayList<>();
    while (!waiting.isEmpty() && budget > 0 && running.size() < config.maxNumSeqs()) {
      EngineRequest r = waiting.peek();
      if (kv.pool().prefixCaching() && r.waitsForLeader()
          && r.numPromptTokens > kv.blockSize()) {
        skipped.add(waiting.poll()); // its prompt blocks will be cached by its leader shortly
        continue;
      }
      List<KvBlock> hits = kv.findCachedPrefix(r);
      int numCached = hits.size() * kv.blockSize();
      int numNew = Math.min(r.numTokens() - numCached, budget);
      if (!kv.allocateSlots(r, numNew, hits)) break;
      waiting.poll();
      if (r.numCachedPromptTokens < 0) {
        r.numCachedPromptTokens = numCached;
        r.firstScheduledNanos = System.nanoTime();
        counters.prefixCacheQueries += r.numTokens();
        counters.prefixCacheHits += numCached;
        counters.queueTimes.add((r.firstScheduledNanos - r.arrivalNanos) / 1e9);
      }
      r.numComputedTokens = numCached;
      r.status = RequestStatus.RUNNING;
      running.add(r);
      scheduled.put(r, slice(r, numNew));
      budget -= numNew;
    }
    for (EngineRequest r : skipped.reversed()) waiting.addFirst(r);
    return budget;
  }

  private ScheduledSlice slice(EngineRequest r, int numNew) {
    int end = r.numComputedTokens + numNew;
    boolean promptLogprobs = r.params.promptLogprobs() != null && r.numOutputTokens() == 0;
    return new ScheduledSlice(r, r.numComputedTokens, numNew, end == r.numTokens(), promptLogprobs);
  }

  private EngineRequest pickVictim() {
    if (config.policy() == SchedulingPolicy.FCFS) return running.getLast();
    EngineRequest worst = running.getFirst();
    for (EngineRequest r : running) {
      if (WaitingQueue.PRIORITY_ORDER.compare(r, worst) > 0) worst = r;
    }
    return worst;
  }

  private void preempt(EngineRequest r) {
    running.remove(r);
    kv.free(r);
    r.numComputedTokens = 0;
    r.status = RequestStatus.PREEMPTED;
    r.numPreemptions++;
    counters.numPreemptions++;
    waiting.addFirst(r);
  }

  /**
   * Applies a step's results: advances computed tokens, caches full blocks, appends sampled tokens
   * and ends sequences that hit EOS, a stop token or their length limit.
   */
  public List<EngineCoreOutput> update(SchedulerOutput out, StepResult result) {
    List<EngineCoreOutput> outputs = new ArrayList<>(out.slices().size());
    long now = System.nanoTime();
    for (int i = 0; i < out.slices().size(); i++) {
      ScheduledSlice s = out.slices().get(i);
      EngineRequest r = s.request();
      StepResult.SliceResult res = result.slices().get(i);
      r.numComputedTokens += s.numTokens();
      counters.computedTokens += s.numTokens();
      if (s.startPosition() < r.numPromptTokens) {
        counters.computedPromptTokens += Math.min(s.startPosition() + s.numTokens(), r.numPromptTokens)
            - s.startPosition();
      }
      kv.cacheComputedBlocks(r);
      List<TokenLogprobs> promptLogprobs =
          s.promptLogprobs() && res.promptLogprobs() != null ? res.promptLogprobs() : List.of();
      if (!s.sample()) {
        if (!promptLogprobs.isEmpty()) outputs.add(output(r, new int[0], List.of(), promptLogprobs));
        continue;
      }
      int token = res.sampledToken();
      r.tokens.add(token);
      recordTokenTimes(r, now);
      checkStop(r, token);
      List<TokenLogprobs> logprobs =
          res.sampledLogprobs() == null ? List.of() : List.of(res.sampledLogprobs());
      outputs.add(output(r, new int[] {token}, logprobs, promptLogprobs));
    }
    return outputs;
  }

  private void recordTokenTimes(EngineRequest r, long now) {
    if (r.numOutputTokens() == 1) {
      r.firstTokenNanos = now;
      counters.promptTokens += r.numPromptTokens;
      counters.timesToFirstToken.add((now - r.arrivalNanos) / 1e9);
    } else {
      counters.interTokenLatencies.add((now - r.lastTokenNanos) / 1e9);
    }
    r.lastTokenNanos = now;
    counters.generationTokens++;
  }

  private void checkStop(EngineRequest r, int token) {
    if (r.numTokens() >= config.maxModelLen() || r.numOutputTokens() >= r.maxTokens) {
      finishRunning(r, FinishReason.LENGTH, null);
    } else if (r.numOutputTokens() < r.params.minTokens()) {
      return;
    } else if (!r.params.ignoreEos() && r.eosTokenIds.contains(token)) {
      finishRunning(r, FinishReason.STOP, null);
    } else if (r.params.stopTokenIds().contains(token)) {
      finishRunning(r, FinishReason.STOP, token);
    }
  }

  private void finishRunning(EngineRequest r, FinishReason reason, Object stopReason) {
    running.remove(r);
    live.remove(r.id);
    markFinished(r, reason, stopReason);
  }

  private void markFinished(EngineRequest r, FinishReason reason, Object stopReason) {
    kv.free(r);
    r.status = RequestStatus.FINISHED;
    r.finishReason = reason;
    r.stopReason = stopReason;
    counters.finished.merge(reason.apiName(), 1L, Long::sum);
    if (reason != FinishReason.ABORT && r.firstTokenNanos != 0) {
      counters.endToEndLatencies.add((System.nanoTime() - r.arrivalNanos) / 1e9);
    }
  }

  private EngineCoreOutput output(EngineRequest r, int[] tokens, List<TokenLogprobs> logprobs,
      List<TokenLogprobs> promptLogprobs) {
    return new EngineCoreOutput(r.parentId, r.completionIndex, tokens, logprobs, promptLogprobs,
        r.finishReason, r.stopReason, Math.max(r.numCachedPromptTokens, 0));
  }

  public dev.barista.engine.api.EngineStats stats() {
    return counters.snapshot(running.size(), waiting.size(), kv.pool().usage());
  }

  /** Live requests, for invariant checks in tests. */
  Collection<EngineRequest> liveRequests() {
    return live.values();
  }
}

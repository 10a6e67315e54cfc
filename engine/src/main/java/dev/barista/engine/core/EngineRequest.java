package dev.barista.engine.core;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One sequence as the engine core schedules it: tokens, how many of them have KV in the cache, its
 * blocks and their prefix-cache hashes. A request with n > 1 becomes n of these (one per
 * completion) that share the prompt's blocks through the prefix cache.
 */
public final class EngineRequest {
  final String id;
  final String parentId;
  final int completionIndex;
  final SamplingParams params;
  final int priority;
  final long arrivalOrder;
  final long arrivalNanos;
  final int numPromptTokens;
  final int maxTokens;
  final Set<Integer> eosTokenIds;
  final TokenSequence tokens;
  final SequenceSamplingState sampling;
  /** The first completion of the same request; later ones wait for its prompt (prefix sharing). */
  final EngineRequest leader;

  RequestStatus status = RequestStatus.WAITING;
  int numComputedTokens;
  final List<KvBlock> blocks = new ArrayList<>();
  final List<BlockHash> blockHashes = new ArrayList<>();
  /** Blocks (from the first) that are registered in the prefix cache. */
  int numCachedBlocks;
  /** Prompt tokens found in the prefix cache when first admitted (-1 until admitted). */
  int numCachedPromptTokens = -1;
  int numPreemptions;
  long firstScheduledNanos;
  long firstTokenNanos;
  long lastTokenNanos;
  FinishReason finishReason;
  Object stopReason;

  EngineRequest(String id, String parentId, int completionIndex, int[] promptTokenIds,
      SamplingParams params, int priority, long arrivalOrder, int maxModelLen,
      Set<Integer> eosTokenIds, SequenceSamplingState sampling, EngineRequest leader) {
    this.id = id;
    this.parentId = parentId;
    this.completionIndex = completionIndex;
    this.params = params;
    this.priority = priority;
    this.arrivalOrder = arrivalOrder;
    this.arrivalNanos = System.nanoTime();
    this.numPromptTokens = promptTokenIds.length;
    int room = maxModelLen - promptTokenIds.length;
    this.maxTokens = params.maxTokens() == null ? room : Math.min(params.maxTokens(), room);
    this.eosTokenIds = eosTokenIds;
    this.tokens = new TokenSequence(promptTokenIds);
    this.sampling = sampling;
    this.leader = leader;
  }

  public String id() {
    return id;
  }

  public String parentId() {
    return parentId;
  }

  public int completionIndex() {
    return completionIndex;
  }

  public RequestStatus status() {
    return status;
  }

  public int numTokens() {
    return tokens.size();
  }

  public int numPromptTokens() {
    return numPromptTokens;
  }

  public int numOutputTokens() {
    return tokens.size() - numPromptTokens;
  }

  public int numComputedTokens() {
    return numComputedTokens;
  }

  public int numPreemptions() {
    return numPreemptions;
  }

  public int priority() {
    return priority;
  }

  public int[] outputTokenIds() {
    return tokens.slice(numPromptTokens, tokens.size());
  }

  boolean isFinished() {
    return status == RequestStatus.FINISHED;
  }

  /** Whether a leader's prompt is still being computed, so this completion should wait for it. */
  boolean waitsForLeader() {
    return leader != null && !leader.isFinished()
        && leader.numComputedTokens < leader.numPromptTokens - 1;
  }

  int[] blockIds() {
    int[] ids = new int[blocks.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = blocks.get(i).id;
    return ids;
  }

  @Override
  public String toString() {
    return "EngineRequest[" + id + ", " + status + ", computed " + numComputedTokens + "/"
        + tokens.size() + "]";
  }
}

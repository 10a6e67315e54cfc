package dev.barista.cuda.runner;

import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.BitSet;
import dev.barista.engine.api.SamplingParams;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Host bookkeeping of the device's per-sequence token counts for penalties (sampling_full.cu's
 * {@code counts[slot, vocab]}: output occurrences, plus {@link #PROMPT_FLAG} for prompt tokens),
 * and of the same slot's token bias row ({@code bias[slot, vocab]}) for requests that mask or bias
 * tokens: filled once with 0 (-inf under allowed_token_ids), their allowed tokens and logit_bias
 * values set, then each step only the tokens whose bad-word or min_tokens ban started or ended.
 * A penalized sequence gets a slot the first time it samples on the device: the slot is cleared and
 * its distinct prompt tokens and output so far are added. Later steps add only the output tokens
 * accepted since the last step, so a step uploads a few ints per sequence, not its history. When
 * all slots are taken, the least recently used sequence not in this step loses its slot (it is
 * rebuilt if it comes back); with none free, the sequence goes to the CPU Sampler.
 */
public final class PenaltySlots {
  /** Marks a prompt token in a count (bit 30; the low 30 bits count output occurrences). */
  public static final int PROMPT_FLAG = 1 << 30;

  private static final class Entry {
    final int slot;
    int syncedOutput;
    long lastStep;
    Set<Integer> allowed; // with a bias row: allowed_token_ids, or null for all
    int[] bans = new int[0]; // with a bias row: the tokens banned on the device now, sorted

    Entry(int slot) {
      this.slot = slot;
    }
  }

  /**
   * One step's work for the device: count slots to zero first, then {slot, token, add} triples;
   * bias rows to fill ({slot, value bits} pairs), then {slot, token, value bits} triples, at most
   * one per (slot, token).
   */
  public record Updates(int[] clearSlots, int[] triples, int[] biasFills, int[] biasSets) {
    public int count() {
      return triples.length / 3;
    }

    public boolean isEmpty() {
      return clearSlots.length == 0 && triples.length == 0 && biasFills.length == 0 && biasSets.length == 0;
    }
  }

  private final int capacity;
  // keyed by identity: SequenceSamplingState keeps Object's equals
  private final Map<SequenceSamplingState, Entry> bySequence = new HashMap<>();
  private final BitSet used = new BitSet();
  private final List<Integer> clears = new ArrayList<>();
  private final IntList triples = new IntList();
  private final IntList biasFills = new IntList();
  private final Map<Long, Integer> biasSets = new LinkedHashMap<>(); // (slot, token) -> value bits, last wins
  private long step;

  public PenaltySlots(int capacity) {
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  /** Starts a step: slots assigned from now on are protected from eviction until the next one. */
  public void beginStep() {
    step++;
    clears.clear();
    triples.clear();
    biasFills.clear();
    biasSets.clear();
  }

  /**
   * The slot of {@code st} for this step, its counts brought up to date (queued in {@link
   * #updates}), or -1 when no slot can be had.
   */
  public int slotFor(SequenceSamplingState st) {
    Entry e = bySequence.get(st);
    if (e != null && st.outputLength() < e.syncedOutput) { // not a continuation: rebuild
      bySequence.remove(st);
      used.clear(e.slot);
      e = null;
    }
    if (e == null) {
      int slot = freeSlot();
      if (slot < 0) return -1;
      e = new Entry(slot);
      used.set(slot);
      bySequence.put(st, e);
      clears.add(slot);
      BitSet prompt = new BitSet();
      for (int i = 0; i < st.promptLength(); i++) prompt.set(st.promptToken(i));
      for (int t = prompt.nextSetBit(0); t >= 0; t = prompt.nextSetBit(t + 1)) add(slot, t, PROMPT_FLAG);
      if (DeviceSampling.needsBiasRow(st.params())) startBiasRow(e, st);
    }
    if (DeviceSampling.needsBiasRow(st.params())) syncBans(e, st);
    for (int i = e.syncedOutput; i < st.outputLength(); i++) add(e.slot, st.outputToken(i), 1);
    e.syncedOutput = st.outputLength();
    e.lastStep = step;
    return e.slot;
  }

  /** What the device must apply before this step's sampling. */
  public Updates updates() {
    int[] sets = new int[3 * biasSets.size()];
    int i = 0;
    for (Map.Entry<Long, Integer> me : biasSets.entrySet()) {
      sets[i++] = (int) (me.getKey() >>> 32);
      sets[i++] = (int) (long) me.getKey();
      sets[i++] = me.getValue();
    }
    return new Updates(clears.stream().mapToInt(Integer::intValue).toArray(), triples.toArray(), biasFills.toArray(), sets);
  }

  private static final int MASKED = Float.floatToRawIntBits(Float.NEGATIVE_INFINITY);

  /** A new bias row: filled, then its allowed tokens and logit_bias values set (as Sampler.process). */
  private void startBiasRow(Entry e, SequenceSamplingState st) {
    SamplingParams p = st.params();
    int vocab = st.vocabSize();
    e.allowed = p.allowedTokenIds() == null ? null : new HashSet<>(p.allowedTokenIds());
    biasFills.add(e.slot);
    biasFills.add(e.allowed == null ? 0 : MASKED);
    if (e.allowed != null) {
      for (int t : e.allowed) if (t >= 0 && t < vocab) setBias(e.slot, t, staticBias(e, p, t));
    }
    for (int t : p.logitBias().keySet()) if (t >= 0 && t < vocab) setBias(e.slot, t, staticBias(e, p, t));
    e.bans = new int[0];
  }

  /** The row's value for a token without a ban: its logit_bias, or -inf outside allowed_token_ids. */
  private static int staticBias(Entry e, SamplingParams p, int token) {
    if (e.allowed != null && !e.allowed.contains(token)) return MASKED;
    Double b = p.logitBias().get(token);
    return Float.floatToRawIntBits(b == null ? 0f : b.floatValue());
  }

  /** Bans that started since the last step become -inf, those that ended get their value back. */
  private void syncBans(Entry e, SequenceSamplingState st) {
    int vocab = st.vocabSize();
    int[] now = java.util.Arrays.stream(st.bannedTokens()).filter(t -> t >= 0 && t < vocab).distinct().sorted().toArray();
    for (int t : e.bans) if (java.util.Arrays.binarySearch(now, t) < 0) setBias(e.slot, t, staticBias(e, st.params(), t));
    for (int t : now) if (java.util.Arrays.binarySearch(e.bans, t) < 0) setBias(e.slot, t, MASKED);
    e.bans = now;
  }

  private void setBias(int slot, int token, int valueBits) {
    biasSets.put(((long) slot << 32) | (token & 0xffffffffL), valueBits);
  }

  /** Sequences holding a slot now. */
  public int assigned() {
    return bySequence.size();
  }

  private int freeSlot() {
    int free = used.nextClearBit(0);
    if (free < capacity) return free;
    SequenceSamplingState victim = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<SequenceSamplingState, Entry> me : bySequence.entrySet()) {
      if (me.getValue().lastStep < step && me.getValue().lastStep < oldest) {
        oldest = me.getValue().lastStep;
        victim = me.getKey();
      }
    }
    if (victim == null) return -1;
    return bySequence.remove(victim).slot;
  }

  private void add(int slot, int token, int amount) {
    triples.add(slot);
    triples.add(token);
    triples.add(amount);
  }

  /** A growable int array. */
  private static final class IntList {
    private int[] a = new int[64];
    private int n;

    void add(int v) {
      if (n == a.length) a = java.util.Arrays.copyOf(a, 2 * n);
      a[n++] = v;
    }

    void clear() {
      n = 0;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(a, n);
    }
  }
}

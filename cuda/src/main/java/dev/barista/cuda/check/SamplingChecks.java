package dev.barista.cuda.check;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.driver.Transfers;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.runner.DeviceSampling;
import dev.barista.cuda.runner.PenaltySlots;
import dev.barista.cuda.runner.SamplingTables;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.Logprobs;
import dev.barista.engine.sampling.Sampler;
import dev.barista.engine.sampling.SequenceSamplingState;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * sample_rows_full against the engine's CPU Sampler: each case's logits go through
 * {@link Sampler#process} (penalties, temperature, min_p, top_k, top_p, exactly the CPU path) and
 * a double-precision inverse-CDF draw with the same uniforms the kernel is given. Every row must
 * give the same token: so the kept sets are exactly the CPU's, and the penalized values too (the
 * greedy penalty rows pick a different argmax than the raw logits). Penalty counts reach the
 * device through the runner's own PenaltySlots and penalty_update. A second launch must repeat
 * every token (seeded requests reproduce).
 *
 * <p>One allowance: the CPU Sampler sums the softmax total in float, the kernel in double, so
 * where top_p falls within {@link #TOP_P_SLACK} of a cumulative mass the two may keep one token
 * more or less. A row whose token differs is then accepted when the CPU reference gives that token
 * with top_p moved by the slack either way, and is counted and named as a boundary row.
 */
final class SamplingChecks {
  static final int VOCAB = 151936;
  static final float[] US = {0f, 0.05f, 0.3f, 0.5f, 0.77f, 0.999f};
  /** Float against double totals over 151,936 logits differ by up to ~2e-6 relative. */
  static final double TOP_P_SLACK = 1e-5;

  private record Case(String name, SamplingParams params, float[] logits, int[] prompt, int[] output, List<int[]> badWords) {
    Case(String name, SamplingParams params, float[] logits, int[] prompt, int[] output) {
      this(name, params, logits, prompt, output, List.of());
    }
  }

  private final CudaDriver d;
  private final Kernels k;
  private final long stream;
  private final Random rnd;

  SamplingChecks(CudaDriver d, Kernels k, long stream, Random rnd) {
    this.d = d;
    this.k = k;
    this.stream = stream;
    this.rnd = rnd;
  }

  private float[] gaussian(double sd) {
    float[] l = new float[VOCAB];
    for (int i = 0; i < VOCAB; i++) l[i] = (float) (rnd.nextGaussian() * sd);
    return l;
  }

  /** The ids of the n largest values. */
  private static int[] top(float[] l, int n) {
    Integer[] ids = new Integer[l.length];
    for (int i = 0; i < ids.length; i++) ids[i] = i;
    Arrays.sort(ids, (a, b) -> Float.compare(l[b], l[a]));
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = ids[i];
    return r;
  }

  private static SamplingParams.Builder p() {
    return SamplingParams.builder().seed(1L);
  }

  private List<Case> cases() {
    List<Case> c = new ArrayList<>();
    int[] none = new int[0];
    float[] g = gaussian(3);
    c.add(new Case("greedy", p().temperature(0).build(), g, none, none));
    c.add(new Case("temperature 0.8", p().temperature(0.8).build(), g, none, none));
    c.add(new Case("min_p 0.05", p().temperature(1).minP(0.05).build(), g, none, none));
    c.add(new Case("top_k 50 t 0.7", p().temperature(0.7).topK(50).build(), g, none, none));
    c.add(new Case("top_p 0.9", p().temperature(1).topP(0.9).build(), gaussian(2), none, none));
    c.add(new Case("top_k 40 top_p 0.8 min_p 0.02 t 0.6",
        p().temperature(0.6).topK(40).topP(0.8).minP(0.02).build(), gaussian(1.5), none, none));
    c.add(new Case("top_p 0.3 t 2", p().temperature(2).topP(0.3).build(), gaussian(4), none, none));
    c.add(new Case("top_k = vocab", p().temperature(1).topK(VOCAB).build(), g, none, none));
    c.add(new Case("top_k > vocab", p().temperature(1).topK(VOCAB + 3).build(), g, none, none));
    c.add(new Case("top_p 1", p().temperature(1).topP(1.0).build(), g, none, none));
    float[] flat = new float[VOCAB];
    Arrays.fill(flat, 1.5f);
    c.add(new Case("ties: all equal, top_k 5", p().temperature(1).topK(5).build(), flat, none, none));
    c.add(new Case("ties: all equal, top_p 0.5", p().temperature(1).topP(0.5).build(), flat, none, none));
    // ten tokens at 9 .. 11.25, five equal at 8 (the 11th to 15th largest), the rest near -6:
    // top_k 12 keeps all five ties; top_p 0.975 needs about 3 of them (in id order)
    float[] steps = gaussian(1);
    for (int i = 0; i < VOCAB; i++) steps[i] -= 6;
    for (int i = 0; i < 10; i++) steps[1000 + 37 * i] = 9 + i * 0.25f;
    for (int i = 0; i < 5; i++) steps[90000 + 11 * i] = 8f;
    c.add(new Case("ties at the k-th value, top_k 12", p().temperature(1).topK(12).build(), steps, none, none));
    c.add(new Case("ties at the p threshold, top_p 0.975", p().temperature(1).topP(0.975).build(), steps, none, none));
    float[] pg = gaussian(3);
    int[] hot = top(pg, 6);
    int[] prompt = {hot[0], hot[1], 17, 17, 4242, hot[3]};
    int[] output = {hot[2], hot[2], hot[4], 99, 17};
    c.add(new Case("penalties: repetition 1.5 greedy", p().temperature(0).repetitionPenalty(1.5).build(), pg, prompt, output));
    c.add(new Case("penalties: repetition 0.7 greedy", p().temperature(0).repetitionPenalty(0.7).build(), pg, prompt, output));
    c.add(new Case("penalties: frequency 2 presence 1.5 greedy",
        p().temperature(0).frequencyPenalty(2).presencePenalty(1.5).build(), pg, prompt, output));
    c.add(new Case("penalties: all three, top_p 0.95 t 0.9",
        p().temperature(0.9).topP(0.95).repetitionPenalty(1.3).frequencyPenalty(0.4).presencePenalty(-0.3).build(),
        pg, prompt, output));
    c.add(new Case("penalties: presence -2 top_k 8",
        p().temperature(1).topK(8).presencePenalty(-2).build(), pg, prompt, output));
    // token bias rows: the kept set and the values must be the CPU's again
    int[] bt = top(pg, 4);
    int low = 0;
    for (int i = 1; i < VOCAB; i++) if (pg[i] < pg[low]) low = i;
    c.add(new Case("logit_bias: +40 on the lowest, -100 on the top, greedy",
        p().temperature(0).logitBias(java.util.Map.of(low, 40.0, bt[0], -100.0)).build(), pg, none, none));
    c.add(new Case("logit_bias with penalties, top_p 0.9 t 0.8",
        p().temperature(0.8).topP(0.9).repetitionPenalty(1.2).logitBias(java.util.Map.of(bt[2], 1.5, 777, 6.0)).build(),
        pg, prompt, output));
    c.add(new Case("allowed_token_ids (5), t 1",
        p().temperature(1).allowedTokenIds(List.of(7, 1000, bt[3], 90000, 151000)).build(), pg, none, none));
    c.add(new Case("allowed_token_ids with logit_bias, greedy",
        p().temperature(0).allowedTokenIds(List.of(7, 1000, 90000)).logitBias(java.util.Map.of(7, 50.0, bt[0], 99.0)).build(),
        pg, none, none));
    c.add(new Case("min_tokens 3 bans the stop ids (the top two), greedy",
        p().temperature(0).minTokens(3).stopTokenIds(List.of(bt[0], bt[1])).build(), pg, none, new int[] {5}));
    c.add(new Case("bad_words: one-token word and a word after its prefix, top_k 3 t 1",
        p().temperature(1).topK(3).badWords(List.of("a", "b")).build(), pg, none, new int[] {9, 5},
        List.of(new int[] {bt[0]}, new int[] {5, bt[1]}, new int[] {6, bt[2]})));
    return c;
  }

  List<CheckResult> run() {
    List<Case> cases = cases();
    int rows = cases.size() * US.length;
    PenaltySlots slots = new PenaltySlots(rows);
    slots.beginStep();
    int[] params = new int[rows * DeviceSampling.WORDS];
    int[] want = new int[rows];
    int[][] boundary = new int[rows][];
    List<Long> mem = new ArrayList<>();
    long logits = d.malloc(4L * rows * VOCAB);
    mem.add(logits);
    SamplingTables tables = null;
    try {
      for (int ci = 0; ci < cases.size(); ci++) {
        Case c = cases.get(ci);
        SequenceSamplingState st = state(c, c.params());
        float[] processed = processed(c, st);
        for (int ui = 0; ui < US.length; ui++) {
          int r = ci * US.length + ui;
          boolean needsSlot = DeviceSampling.hasPenalties(c.params()) || DeviceSampling.needsBiasRow(c.params());
          int slot = needsSlot ? slots.slotFor(st) : -1;
          DeviceSampling.write(st, slot, params, r * DeviceSampling.WORDS);
          params[r * DeviceSampling.WORDS + 2] = Float.floatToRawIntBits(US[ui]);
          long ub = Double.doubleToRawLongBits(US[ui]);
          params[r * DeviceSampling.WORDS + 12] = (int) ub;
          params[r * DeviceSampling.WORDS + 13] = (int) (ub >>> 32);
          want[r] = c.params().isGreedy() ? Sampler.argmax(processed) : draw(processed, US[ui]);
          boundary[r] = topPNeighbours(c, US[ui]);
          Transfers.write(d, logits + 4L * r * VOCAB, c.logits());
        }
      }
      tables = new SamplingTables(d, k, rows, VOCAB, stream);
      long counts = tables.counts();
      d.memsetAsync(counts, (byte) 0xff, 4L * rows * VOCAB, stream); // garbage in unused slots
      tables.apply(slots.updates(), stream);
      long bias = tables.bias();
      long p = Transfers.upload(d, params);
      mem.add(p);
      long out = d.malloc(4L * rows);
      mem.add(out);
      d.memsetAsync(out, (byte) 0xff, 4L * rows, stream);
      k.sampleRowsFull(logits, rows, VOCAB, p, counts, bias, out, stream);
      d.synchronize(stream);
      int[] got = Transfers.readInts(d, out, rows);
      d.memsetAsync(out, (byte) 0xff, 4L * rows, stream);
      k.sampleRowsFull(logits, rows, VOCAB, p, counts, bias, out, stream);
      d.synchronize(stream);
      int[] again = Transfers.readInts(d, out, rows);
      List<CheckResult> results = new ArrayList<>();
      for (int ci = 0; ci < cases.size(); ci++) {
        int wrong = 0, atBoundary = 0;
        StringBuilder note = new StringBuilder();
        for (int ui = 0; ui < US.length; ui++) {
          int r = ci * US.length + ui;
          if (got[r] == want[r]) continue;
          boolean tie = Arrays.stream(boundary[r]).anyMatch(t -> t == got[r]);
          if (tie) atBoundary++;
          else wrong++;
          note.append(String.format(" u=%s: %d != %d%s", US[ui], got[r], want[r], tie ? " (top_p boundary within slack)" : ""));
        }
        String boundaryNote = atBoundary == 0 ? "" : ", " + atBoundary + " at the top_p boundary";
        results.add(new CheckResult("sample_rows_full " + cases.get(ci).name(), wrong, 0, wrong + " wrong" + boundaryNote + note));
      }
      int differ = 0;
      for (int r = 0; r < rows; r++) if (got[r] != again[r]) differ++;
      results.add(new CheckResult("sample_rows_full repeat launch (seeds)", differ, 0, differ + " rows changed"));
      results.add(logprobs(cases, logits, params, out, got, mem));
      results.forEach(r -> System.out.println(r.row()));
      return results;
    } finally {
      for (long m : mem) d.free(m);
      if (tables != null) tables.close();
    }
  }

  static final int[] LOGPROB_KS = {0, 1, 5, 20, -1};

  /**
   * row_logprobs against the CPU path's Logprobs.of on the same raw logits and sampled tokens: the
   * top ids (ties in id order: the all-equal rows) and ranks must be equal, the logprobs within
   * 1e-4; rows asking for none (k = -1) must be left alone. Every third row reports a given token
   * (as prompt rows report the next prompt token) instead of the sampled one.
   */
  private CheckResult logprobs(List<Case> cases, long logits, int[] params, long sampled, int[] got, List<Long> mem) {
    int rows = got.length, w = DeviceSampling.LOGPROB_WORDS;
    int[] ks = new int[rows], chosen = got.clone();
    for (int r = 0; r < rows; r++) {
      ks[r] = LOGPROB_KS[r % LOGPROB_KS.length];
      params[r * DeviceSampling.WORDS + 16] = ks[r];
      if (r % 3 == 1) chosen[r] = (int) ((r * 7919L) % VOCAB);
      params[r * DeviceSampling.WORDS + 17] = r % 3 == 1 ? chosen[r] : -1;
    }
    long p = Transfers.upload(d, params);
    mem.add(p);
    long out = d.malloc(4L * w * rows);
    mem.add(out);
    d.memsetAsync(out, (byte) 0x7f, 4L * w * rows, stream);
    k.rowLogprobs(logits, rows, VOCAB, p, DeviceSampling.WORDS, sampled, out, stream);
    d.synchronize(stream);
    int[] words = Transfers.readInts(d, out, w * rows);
    int wrong = 0;
    double worst = 0;
    StringBuilder note = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      float[] l = cases.get(r / US.length).logits();
      if (ks[r] < 0) {
        if (words[r * w] != 0x7f7f7f7f) {
          wrong++;
          note.append(" row ").append(r).append(" written without asking");
        }
        continue;
      }
      TokenLogprobs want = Logprobs.of(l, chosen[r], ks[r]);
      TokenLogprobs have = DeviceSampling.logprobs(words, r * w, chosen[r], ks[r]);
      double err = Math.abs(want.logprob() - have.logprob());
      for (int i = 0; i < ks[r]; i++) err = Math.max(err, Math.abs(want.topLogprobs()[i] - have.topLogprobs()[i]));
      worst = Math.max(worst, err);
      if (!Arrays.equals(want.topTokenIds(), have.topTokenIds()) || want.rank() != have.rank() || err > 1e-4) {
        wrong++;
        if (note.length() < 300) {
          note.append(String.format(" row %d k=%d: ids %s vs %s, rank %d vs %d, err %.1e;", r, ks[r],
              Arrays.toString(have.topTokenIds()), Arrays.toString(want.topTokenIds()), have.rank(), want.rank(), err));
        }
      }
    }
    return new CheckResult("row_logprobs = CPU Logprobs.of (k 0, 1, 5, 20, none; sampled or given token)", wrong, 0,
        String.format("%d of %d rows wrong, largest logprob difference %.1e%s", wrong, rows, worst, note));
  }

  /**
   * The CPU reference's tokens for this uniform with top_p moved down and up by {@link
   * #TOP_P_SLACK}: the tokens a float-versus-double difference in the softmax total can give.
   * Empty for cases without a top_p below 1 or for greedy ones.
   */
  private static int[] topPNeighbours(Case c, double u) {
    double topP = c.params().topP();
    if (c.params().isGreedy() || topP >= 1) return new int[0];
    int[] tokens = new int[2];
    for (int side = 0; side < 2; side++) {
      double moved = Math.min(1, topP + (side == 0 ? -TOP_P_SLACK : TOP_P_SLACK));
      tokens[side] = draw(processed(c, state(c, c.params().toBuilder().topP(moved).build())), u);
    }
    return tokens;
  }

  /** A sequence's sampling state after the case's prompt and output tokens. */
  private static SequenceSamplingState state(Case c, SamplingParams params) {
    SequenceSamplingState st = SequenceSamplingState.create(params, c.prompt().length == 0 ? new int[] {0} : c.prompt(),
        0, List.of(), c.badWords(), VOCAB);
    for (int t : c.output()) st.appendOutput(t);
    return st;
  }

  /** The case's logits through the CPU Sampler's processing for this state. */
  private static float[] processed(Case c, SequenceSamplingState st) {
    float[] processed = c.logits().clone();
    Sampler.process(processed, st);
    return processed;
  }

  /** Inverse-CDF draw in id order over exp(l - max) in double, the kernel's and Sampler's rule. */
  static int draw(float[] l, double u) {
    float mx = Float.NEGATIVE_INFINITY;
    for (float v : l) mx = Math.max(mx, v);
    double total = 0;
    for (float v : l) if (v != Float.NEGATIVE_INFINITY) total += Math.exp((double) (v - mx));
    double target = u * total, cum = 0;
    int last = -1;
    for (int i = 0; i < l.length; i++) {
      if (l[i] == Float.NEGATIVE_INFINITY) continue;
      cum += Math.exp((double) (l[i] - mx));
      last = i;
      if (cum > target) return i;
    }
    return last;
  }
}

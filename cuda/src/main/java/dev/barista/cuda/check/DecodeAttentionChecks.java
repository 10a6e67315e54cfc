package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.randomBf16;
import static dev.barista.cuda.check.Reference.relError;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.AttentionSplit;
import dev.barista.cuda.kernels.Kernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Paged attention version 2 (decode_attention.cu) against a double-precision CPU reference and
 * against version 1 (attention.cu) on the same inputs: decode batches of 1 to 256 sequences whose
 * contexts fall on, before and after block and tile boundaries, tokens in shuffled sequence order,
 * shuffled block tables padded with -1 (a read past a sequence's blocks faults or shows in the
 * error), splits as the runner plans them (for the tokens' contexts, and for longer ones as decode
 * graphs are) and forced ones (merges, empty splits under a window).
 * Outputs and split buffers are poisoned with NaN first. Leaves {@link Kernels} on version 1.
 */
public final class DecodeAttentionChecks {
  private final Kernels k;
  private final long stream;
  private final Random rnd;
  private final int targetBlocks;
  private float softcap; // set by variant()
  private boolean sinks; // set by variant()
  private boolean alibi; // set by variant()
  private final CheckBuffers buf;

  /** @param targetBlocks blocks that fill the GPU, as the runner plans splits with */
  public DecodeAttentionChecks(CudaDriver d, Kernels k, long stream, long seed, int targetBlocks) {
    this.k = k;
    this.stream = stream;
    this.buf = new CheckBuffers(d, stream);
    this.rnd = new Random(seed);
    this.targetBlocks = targetBlocks;
  }

  public List<CheckResult> runAll() {
    List<CheckResult> r = new ArrayList<>();
    try {
      // one long sequence: many splits merged
      r.add(safe(() -> check(128, 16, 8, 16, 0, 0, new int[][] {{4100}})));
      r.add(safe(() -> check(128, 32, 8, 16, 0, 0, new int[][] {{1}})));
      // 7 sequences around block (16) and tile (32) boundaries, GQA 4 (Llama-3.1-8B heads)
      r.add(safe(() -> check(128, 32, 8, 16, 0, 0, contexts(1, 15, 16, 17, 32, 33, 1000))));
      r.add(safe(() -> check(128, 32, 8, 16, 0, 3, contexts(1, 15, 16, 17, 32, 33, 1000))));
      // Qwen3-0.6B heads at the batch sizes the throughput run decodes
      r.add(safe(() -> check(128, 16, 8, 16, 0, 0, randomContexts(64, 1, 700))));
      r.add(safe(() -> check(128, 16, 8, 16, 0, 0, randomContexts(256, 1, 640))));
      r.add(safe(() -> check(128, 16, 8, 16, 0, 4, randomContexts(64, 100, 300))));
      // planned for 3x the longest context, as a decode graph captured for max_model_len is
      r.add(safe(() -> check(128, 16, 8, 16, 0, -3, randomContexts(64, 1, 700))));
      r.add(safe(() -> check(128, 32, 8, 16, 0, -4, randomContexts(7, 1, 2000))));
      r.add(safe(() -> check(64, 8, 2, 16, 60, -2, randomContexts(7, 1, 500))));
      // GQA 1 and 8, windows wider and narrower than a tile (whole splits empty)
      r.add(safe(() -> check(64, 8, 8, 16, 0, 5, randomContexts(7, 1, 400))));
      r.add(safe(() -> check(128, 64, 8, 16, 100, 0, randomContexts(7, 1, 600))));
      r.add(safe(() -> check(96, 12, 4, 16, 7, 3, contexts(1, 7, 8, 40, 300, 301, 333))));
      r.add(safe(() -> check(128, 16, 2, 32, 50, 6, randomContexts(7, 1, 900))));
      // head dims of every class and between them (tiny reference models), block size 8
      r.add(safe(() -> check(256, 8, 2, 16, 0, 0, contexts(1, 16, 17, 200, 513, 64, 100))));
      r.add(safe(() -> check(256, 16, 2, 16, 0, 4, contexts(300, 31))));
      r.add(safe(() -> check(32, 4, 2, 8, 0, 2, randomContexts(7, 1, 300))));
      r.add(safe(() -> check(16, 4, 4, 16, 0, 0, randomContexts(7, 1, 200))));
      r.add(safe(() -> check(8, 8, 2, 16, 0, 0, randomContexts(7, 1, 100))));
      // prefill-shaped: 17 tokens of one sequence beside decode tokens (flash prefill off)
      r.add(safe(() -> check(128, 16, 8, 16, 0, 0, new int[][] {{699}, range(20, 37), {0}})));
      // Gemma 2's soft-capped scores: the CUDA-core kernel (2 heads a group) and the tensor-core one (4)
      r.add(safe(() -> capped(1.0f, () -> check(128, 16, 8, 16, 0, 0, randomContexts(64, 1, 700)))));
      r.add(safe(() -> capped(1.0f, () -> check(128, 32, 8, 16, 0, 3, contexts(1, 15, 16, 17, 32, 33, 1000)))));
      r.add(safe(() -> capped(0.5f, () -> check(256, 16, 8, 16, 40, 0, randomContexts(7, 1, 300)))));
      // GPT-OSS's attention sinks: CUDA-core (2 heads a group) and tensor-core (8) kernels, one and many splits
      r.add(safe(() -> withSinks(() -> check(64, 16, 8, 16, 0, 0, randomContexts(64, 1, 700)))));
      r.add(safe(() -> withSinks(() -> check(64, 64, 8, 16, 0, 0, contexts(1, 15, 16, 17, 32, 33, 4100)))));
      r.add(safe(() -> withSinks(() -> check(64, 64, 8, 16, 128, -3, randomContexts(7, 1, 900)))));
      // Llama 4's chunked attention (window -chunk): chunks inside a split and splits inside a chunk
      r.add(safe(() -> check(128, 40, 8, 16, -64, 0, randomContexts(7, 1, 900))));
      r.add(safe(() -> check(64, 16, 8, 16, -512, 4, randomContexts(7, 1, 2000))));
      // ALiBi: CUDA-core (1 head a group), tensor-core (8) kernels, one and many splits
      r.add(safe(() -> withAlibi(() -> check(64, 16, 16, 16, 0, 0, randomContexts(64, 1, 700)))));
      r.add(safe(() -> withAlibi(() -> check(128, 64, 8, 16, 0, 0, contexts(1, 15, 16, 17, 32, 33, 4100)))));
    } finally {
      k.decodeAttentionV2(false);
      buf.freeAll();
    }
    return r;
  }

  /** Runs {@code check} with ALiBi slopes (kernels and reference). */
  private CheckResult withAlibi(Supplier<CheckResult> check) {
    return variant(0, false, true, check);
  }

  /** Runs {@code check} with random attention sinks (kernels and reference). */
  private CheckResult withSinks(Supplier<CheckResult> check) {
    return variant(0, true, false, check);
  }

  /** Runs {@code check} with the scores soft-capped at {@code cap} (kernels and reference). */
  private CheckResult capped(float cap, Supplier<CheckResult> check) {
    return variant(cap, false, false, check);
  }

  private CheckResult variant(float cap, boolean withSinks, boolean withAlibi, Supplier<CheckResult> check) {
    softcap = cap;
    sinks = withSinks;
    alibi = withAlibi;
    try {
      return check.get();
    } finally {
      softcap = 0;
      sinks = false;
      alibi = false;
    }
  }

  private static int[][] contexts(int... ctx) {
    int[][] s = new int[ctx.length][];
    for (int i = 0; i < ctx.length; i++) s[i] = new int[] {ctx[i] - 1};
    return s;
  }

  private int[][] randomContexts(int n, int min, int max) {
    int[] ctx = new int[n];
    for (int i = 0; i < n; i++) ctx[i] = min + rnd.nextInt(max - min + 1);
    return contexts(ctx);
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) r[i] = from + i;
    return r;
  }

  private static CheckResult safe(Supplier<CheckResult> check) {
    return CheckResult.printed("decode_attention v2 exception", check);
  }

  /**
   * One launch over sequences whose query tokens sit at {@code positions[s]}.
   *
   * @param forcedSplits splits of every token's keys (a version 1 plan, given to both), 0 for the
   *     runner's plan of each version, or -f for the runner's plans for f times the longest context
   */
  CheckResult check(int dim, int nq, int nkv, int blockSize, int window, int forcedSplits, int[][] positions) {
    int n = positions.length, maxCtx = 0, numBlocks = 7;
    List<Integer> tokSeq = new ArrayList<>(), tokPos = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      int last = Arrays.stream(positions[s]).max().orElseThrow();
      maxCtx = Math.max(maxCtx, last + 1);
      numBlocks += last / blockSize + 1;
      for (int p : positions[s]) {
        tokSeq.add(s);
        tokPos.add(p);
      }
    }
    // tokens in shuffled order: a token's row is not its sequence's
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < tokSeq.size(); i++) order.add(i);
    Collections.shuffle(order, rnd);
    int tokens = order.size();
    int[] seq = new int[tokens], pos = new int[tokens];
    for (int t = 0; t < tokens; t++) {
      seq[t] = tokSeq.get(order.get(t));
      pos[t] = tokPos.get(order.get(t));
    }
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < numBlocks; i++) free.add(i);
    Collections.shuffle(free, rnd);
    int btStride = (maxCtx + blockSize - 1) / blockSize + 2;
    int[] bt = new int[n * btStride];
    Arrays.fill(bt, -1);
    int next = 0;
    for (int s = 0; s < n; s++) {
      int last = Arrays.stream(positions[s]).max().orElseThrow();
      for (int b = 0; b <= last / blockSize; b++) bt[s * btStride + b] = free.get(next++);
    }
    int cacheElems = numBlocks * blockSize * nkv * dim;
    short[] kc = randomBf16(rnd, cacheElems, 2), vc = randomBf16(rnd, cacheElems, 2);
    int qStride = (nq + 2 * nkv) * dim;
    short[] q = randomBf16(rnd, tokens * qStride, 2);
    float scale = (float) (1 / Math.sqrt(dim));
    long pq = buf.up(q), pk = buf.up(kc), pv = buf.up(vc), pbt = buf.up(bt), pseq = buf.up(seq), ppos = buf.up(pos);
    float[] sinkLogits = sinks ? FlashAttentionChecks.randomSinks(rnd, nq) : null;
    long psinks = sinkLogits == null ? 0 : buf.up(sinkLogits);
    float[] slopes = alibi ? FlashAttentionChecks.alibiSlopes(nq) : null;
    long palibi = slopes == null ? 0 : buf.up(slopes);
    double[][] outs = new double[2][];
    int[] splits = new int[2];
    for (int v = 0; v < 2; v++) {
      k.decodeAttentionV2(v == 1);
      AttentionSplit split;
      if (forcedSplits > 0) { // a v1-style plan: for v2, the partition is only a floor
        int partition = ((maxCtx + forcedSplits - 1) / forcedSplits + 15) / 16 * 16;
        split = new AttentionSplit((maxCtx + partition - 1) / partition, partition);
      } else if (forcedSplits < 0) { // planned for -forcedSplits times the longest context, as a decode graph is
        split = k.planAttention(-forcedSplits * maxCtx, tokens, nkv, dim, targetBlocks, 64);
      } else {
        split = k.planAttention(maxCtx, tokens, nkv, dim, targetBlocks, 64);
      }
      splits[v] = split.splits();
      long out = buf.poisoned(2L * tokens * nq * dim);
      long partAcc = buf.poisoned(4L * tokens * nq * split.splits() * dim), partMl = buf.poisoned(8L * tokens * nq * split.splits());
      var io = new Kernels.AttentionIo(pq, qStride, pk, pv, pbt, btStride, pseq, ppos, partAcc, partMl, out, nq * dim,
          psinks, palibi);
      k.attentionSoftcap(softcap);
      k.attention(io, tokens, blockSize, nq, nkv, dim, scale, window, split, stream);
      k.attentionSoftcap(0);
      outs[v] = buf.readBf16(out, tokens * nq * dim);
    }
    k.decodeAttentionV2(false);
    double[] ref = FlashAttentionChecks.reference(q, qStride, kc, vc, bt, btStride, seq, pos, nq, nkv, dim, blockSize, scale,
        window, softcap, sinkLogits, slopes);
    double eRef = relError(outs[1], ref), eV1 = relError(outs[1], outs[0]), eV1Ref = relError(outs[0], ref);
    return new CheckResult(
        String.format("decode_attention v2 D=%d %d/%d bs=%d B=%d max ctx=%d splits=%d (v1 %d)%s", dim, nq, nkv, blockSize,
            n, maxCtx, splits[1], splits[0], FlashAttentionChecks.span(window) + (softcap > 0 ? " softcap=" + softcap : "")
                + (sinkLogits != null ? " sinks" : "") + (slopes != null ? " alibi" : "")),
        Math.max(eRef, eV1), KernelChecks.BF16_TOL,
        String.format("vs CPU %.2e, vs v1 %.2e (v1 vs CPU %.2e)", eRef, eV1, eV1Ref));
  }
}

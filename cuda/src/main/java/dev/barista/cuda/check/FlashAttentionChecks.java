package dev.barista.cuda.check;

import static dev.barista.cuda.check.Reference.randomBf16;
import static dev.barista.cuda.check.Reference.relError;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.cuda.kernels.AttentionSplit;
import dev.barista.cuda.kernels.Bf16;
import dev.barista.cuda.kernels.FlashAttention;
import dev.barista.cuda.kernels.Kernels;
import dev.barista.cuda.kernels.PrefillTiles;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The flash prefill kernel against a double-precision CPU reference and against the paged kernel
 * on the same inputs: several sequences in one launch, each a chunk of query tokens after a cached
 * prefix, over shuffled (non-contiguous) block tables whose unused entries are -1 (a read past a
 * sequence's blocks faults or turns up in the error). Outputs are poisoned with NaN first.
 */
public final class FlashAttentionChecks {
  private final Kernels k;
  private final FlashAttention flash;
  private final FlashAttention oneHeadABlock;
  private final long stream;
  private final Random rnd;
  private final CheckBuffers buf;

  public FlashAttentionChecks(CudaDriver d, Kernels k, Arena arena, long stream, long seed) {
    this.k = k;
    this.flash = new FlashAttention(d, arena);
    this.oneHeadABlock = new FlashAttention(d, arena, 1);
    this.stream = stream;
    this.buf = new CheckBuffers(d, stream);
    this.rnd = new Random(seed);
  }

  /** A sequence of the launch: {@code cached} earlier positions in the cache, then {@code chunk} query tokens. */
  record Seq(int cached, int chunk) {}

  public List<CheckResult> runAll() {
    List<CheckResult> r = new ArrayList<>();
    try {
      // Qwen3-0.6B heads; chunks not multiples of the 64-token tile; one starts a prompt, others continue one
      r.add(safe(() -> check(128, 16, 8, 16, 0, seqs(0, 100, 37, 64, 300, 5, 0, 2, 129, 1))));
      // the same with one query head a block instead of the pair (flash_prefill_d128_h1)
      r.add(safe(() -> check(oneHeadABlock, 128, 16, 8, 16, 0, seqs(0, 100, 37, 64, 300, 5, 0, 2, 129, 1))));
      r.add(safe(() -> check(128, 8, 8, 32, 0, seqs(0, 200, 15, 63, 64, 65))));
      r.add(safe(() -> check(128, 32, 8, 16, 0, seqs(10, 70, 500, 3))));
      r.add(safe(() -> check(64, 32, 4, 16, 0, seqs(0, 130, 77, 40))));
      r.add(safe(() -> check(64, 16, 2, 16, 0, seqs(0, 64, 1, 1, 700, 9))));
      // sliding windows: wider than a key tile, and narrower than one (whole tiles skipped)
      r.add(safe(() -> check(64, 32, 4, 16, 100, seqs(250, 130, 0, 70))));
      r.add(safe(() -> check(128, 16, 4, 16, 7, seqs(40, 90, 0, 33))));
      // head dims below and between the classes, as the tiny reference models have
      r.add(safe(() -> check(32, 8, 2, 16, 0, seqs(0, 50, 20, 30))));
      r.add(safe(() -> check(16, 4, 4, 16, 0, seqs(0, 70, 5, 12))));
      r.add(safe(() -> check(8, 8, 2, 16, 0, seqs(0, 33, 3, 17))));
      r.add(safe(() -> check(96, 12, 4, 16, 0, seqs(0, 90, 64, 64))));
      // Gemma 2's soft-capped scores (a cap below the scores' spread, so that it bites), windowed too
      r.add(safe(() -> check(flash, 128, 16, 8, 16, 0, 1.0f, seqs(0, 100, 37, 64, 0, 1))));
      r.add(safe(() -> check(flash, 64, 8, 4, 16, 40, 0.5f, seqs(90, 70, 0, 33))));
      // GPT-OSS's attention sinks, in windowed and full layers, through both kernels
      r.add(safe(() -> check(flash, 64, 16, 2, 16, 0, 0, true, seqs(0, 100, 37, 64, 300, 5))));
      r.add(safe(() -> check(flash, 64, 8, 4, 16, 40, 0, true, seqs(90, 70, 0, 33))));
      // Llama 4's chunked attention: each row sees its own chunk only (window -chunk)
      r.add(safe(() -> check(flash, 64, 8, 2, 16, -8, 0, false, false, seqs(0, 100, 37, 64, 300, 5))));
      r.add(safe(() -> check(flash, 128, 16, 8, 16, -64, 0, false, false, seqs(90, 70, 0, 33))));
      // ALiBi (Bloom, MPT, Falcon-RW): a bias by distance in place of rotary embeddings
      r.add(safe(() -> check(flash, 64, 16, 16, 16, 0, 0, false, true, seqs(0, 100, 37, 64, 300, 5))));
      r.add(safe(() -> check(flash, 128, 8, 8, 16, 0, 0, false, true, seqs(90, 70, 0, 33))));
    } finally {
      buf.freeAll();
    }
    return r;
  }

  /** A check's attention span for its label: a sliding window, Llama 4's chunks (window < 0), or nothing. */
  static String span(int window) {
    return window > 0 ? " window=" + window : window < 0 ? " chunk=" + -window : "";
  }

  /** The ALiBi paper's slopes for a power-of-two head count: 2^(-8 (h + 1) / heads). */
  static float[] alibiSlopes(int heads) {
    float[] s = new float[heads];
    for (int h = 0; h < heads; h++) s[h] = (float) Math.pow(2, -8.0 * (h + 1) / heads);
    return s;
  }

  /** Sink logits around the scores' range, so that they take a visible share of each softmax. */
  static float[] randomSinks(Random rnd, int heads) {
    float[] s = new float[heads];
    for (int h = 0; h < heads; h++) s[h] = (float) (rnd.nextDouble() * 6 - 2);
    return s;
  }

  private static Seq[] seqs(int... cachedChunk) {
    Seq[] s = new Seq[cachedChunk.length / 2];
    for (int i = 0; i < s.length; i++) s[i] = new Seq(cachedChunk[2 * i], cachedChunk[2 * i + 1]);
    return s;
  }

  private static CheckResult safe(Supplier<CheckResult> check) {
    return CheckResult.printed("flash_prefill exception", check);
  }

  CheckResult check(int dim, int nq, int nkv, int blockSize, int window, Seq[] seqs) {
    return check(flash, dim, nq, nkv, blockSize, window, seqs);
  }

  CheckResult check(FlashAttention flash, int dim, int nq, int nkv, int blockSize, int window, Seq[] seqs) {
    return check(flash, dim, nq, nkv, blockSize, window, 0, seqs);
  }

  /** As above with Gemma 2's soft-capping of the scores at {@code softcap} in both kernels. */
  CheckResult check(FlashAttention flash, int dim, int nq, int nkv, int blockSize, int window, float softcap, Seq[] seqs) {
    return check(flash, dim, nq, nkv, blockSize, window, softcap, false, seqs);
  }

  /** As above, with random attention sinks (GPT-OSS: one logit per query head) where {@code withSinks}. */
  CheckResult check(FlashAttention flash, int dim, int nq, int nkv, int blockSize, int window, float softcap,
      boolean withSinks, Seq[] seqs) {
    return check(flash, dim, nq, nkv, blockSize, window, softcap, withSinks, false, seqs);
  }

  /** As above, with ALiBi slopes (Bloom's, for nq heads) where {@code withAlibi}. */
  CheckResult check(FlashAttention flash, int dim, int nq, int nkv, int blockSize, int window, float softcap,
      boolean withSinks, boolean withAlibi, Seq[] seqs) {
    int n = seqs.length;
    int maxEnd = 0, totalBlocks = 0, tokens = 0;
    for (Seq s : seqs) {
      int end = s.cached() + s.chunk();
      maxEnd = Math.max(maxEnd, end);
      totalBlocks += (end + blockSize - 1) / blockSize;
      tokens += s.chunk();
    }
    int numBlocks = totalBlocks + 7;
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < numBlocks; i++) free.add(i);
    Collections.shuffle(free, rnd);
    int btStride = (maxEnd + blockSize - 1) / blockSize + 2;
    int[] bt = new int[n * btStride];
    Arrays.fill(bt, -1);
    int[] seq = new int[tokens], pos = new int[tokens], sliceTokens = new int[n], starts = new int[n];
    int next = 0, t = 0;
    for (int s = 0; s < n; s++) {
      int end = seqs[s].cached() + seqs[s].chunk();
      for (int b = 0; b < (end + blockSize - 1) / blockSize; b++) bt[s * btStride + b] = free.get(next++);
      sliceTokens[s] = seqs[s].chunk();
      starts[s] = seqs[s].cached();
      for (int i = 0; i < seqs[s].chunk(); i++, t++) {
        seq[t] = s;
        pos[t] = seqs[s].cached() + i;
      }
    }
    // every slice through flash, one-token slices too (a tile of one row)
    PrefillTiles plan = PrefillTiles.plan(sliceTokens, starts);
    int[] runs = plan.decodeRuns();
    int[] tiles = Arrays.copyOf(plan.tiles(), plan.tiles().length + 2 * runs.length);
    int at = plan.tiles().length;
    for (int r = 0; r < runs.length; r += 2) {
      for (int i = 0; i < runs[r + 1]; i++) {
        int tok = runs[r] + i;
        tiles[at++] = tok;
        tiles[at++] = 1;
        tiles[at++] = seq[tok];
        tiles[at++] = 0;
      }
    }
    int numTiles = at / PrefillTiles.INTS_PER_TILE;
    int cacheElems = numBlocks * blockSize * nkv * dim;
    short[] kc = randomBf16(rnd, cacheElems, 2), vc = randomBf16(rnd, cacheElems, 2);
    int qStride = (nq + 2 * nkv) * dim;
    short[] q = randomBf16(rnd, tokens * qStride, 2);
    float scale = (float) (1 / Math.sqrt(dim));
    long pq = buf.up(q), pk = buf.up(kc), pv = buf.up(vc), pbt = buf.up(bt), pseq = buf.up(seq), ppos = buf.up(pos);
    long outFlash = buf.poisoned(2L * tokens * nq * dim), outPaged = buf.poisoned(2L * tokens * nq * dim);
    float[] sinks = withSinks ? randomSinks(rnd, nq) : null;
    long psinks = sinks == null ? 0 : buf.up(sinks);
    float[] alibi = withAlibi ? alibiSlopes(nq) : null;
    long palibi = alibi == null ? 0 : buf.up(alibi);
    var ioFlash = new Kernels.AttentionIo(pq, qStride, pk, pv, pbt, btStride, pseq, ppos, 0, 0, outFlash, nq * dim, psinks,
        palibi);
    flash.softcap(softcap);
    k.attentionSoftcap(softcap);
    flash.prefill(ioFlash, buf.up(tiles), numTiles, blockSize, nq, nkv, dim, scale, window, stream);
    double[] got = buf.readBf16(outFlash, tokens * nq * dim);
    var ioPaged = new Kernels.AttentionIo(pq, qStride, pk, pv, pbt, btStride, pseq, ppos, 0, 0, outPaged, nq * dim, psinks,
        palibi);
    k.attention(ioPaged, tokens, blockSize, nq, nkv, dim, scale, window, AttentionSplit.plan(maxEnd, tokens, nkv, 1, 1), stream);
    double[] paged = buf.readBf16(outPaged, tokens * nq * dim);
    flash.softcap(0);
    k.attentionSoftcap(0);
    double[] ref = reference(q, qStride, kc, vc, bt, btStride, seq, pos, nq, nkv, dim, blockSize, scale, window, softcap,
        sinks, alibi);
    double eRef = relError(got, ref), ePaged = relError(got, paged);
    StringBuilder shape = new StringBuilder();
    for (Seq s : seqs) shape.append(' ').append(s.cached()).append('+').append(s.chunk());
    return new CheckResult(
        String.format("flash_prefill D=%d %d/%d bs=%d%s%s%s", dim, nq, nkv, blockSize, FlashAttentionChecks.span(window),
            flash == oneHeadABlock ? " one head a block" : "", (softcap > 0 ? " softcap=" + softcap : "")
                + (withSinks ? " sinks" : "") + (withAlibi ? " alibi" : "")),
        Math.max(eRef, ePaged), KernelChecks.BF16_TOL,
        String.format("vs CPU %.2e, vs paged kernel %.2e; cached+chunk:%s", eRef, ePaged, shape));
  }

  /** Double-precision attention of every query token over keys max(0, pos + 1 - window)..pos of its sequence. */
  static double[] reference(
      short[] q, int qStride, short[] kc, short[] vc, int[] bt, int btStride, int[] seq, int[] pos,
      int nq, int nkv, int dim, int blockSize, float scale, int window) {
    return reference(q, qStride, kc, vc, bt, btStride, seq, pos, nq, nkv, dim, blockSize, scale, window, 0, null, null);
  }

  /**
   * As above, the scaled scores soft-capped at {@code softcap} (cap * tanh(s / cap); 0: none), and
   * head h's softmax joined by the logit {@code sinks[h]} that adds no value (null: no sinks), and
   * ALiBi's {@code alibi[h] * (key - query position)} added to each scaled score (null: none).
   */
  static double[] reference(
      short[] q, int qStride, short[] kc, short[] vc, int[] bt, int btStride, int[] seq, int[] pos,
      int nq, int nkv, int dim, int blockSize, float scale, int window, float softcap, float[] sinks, float[] alibi) {
    int tokens = seq.length, group = nq / nkv;
    double[] ref = new double[tokens * nq * dim];
    for (int t = 0; t < tokens; t++) {
      int ctx = pos[t] + 1;
      // a sliding window (window > 0), or Llama 4's chunk of -window tokens (window < 0)
      int lo = window > 0 ? Math.max(0, ctx - window) : window < 0 ? pos[t] - pos[t] % -window : 0;
      for (int h = 0; h < nq; h++) {
        int g = h / group;
        double[] sc = new double[ctx];
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = lo; j < ctx; j++) {
          int slot = bt[seq[t] * btStride + j / blockSize] * blockSize + j % blockSize;
          double s = 0;
          for (int i = 0; i < dim; i++) {
            s += Bf16.toFloat(q[t * qStride + h * dim + i]) * Bf16.toFloat(kc[(slot * nkv + g) * dim + i]);
          }
          sc[j] = (softcap > 0 ? softcap * Math.tanh(s * scale / softcap) : s * scale)
              + (alibi == null ? 0 : alibi[h] * (double) (j - pos[t]));
          mx = Math.max(mx, sc[j]);
        }
        double sum = sinks == null ? 0 : Math.exp(sinks[h] - mx);
        for (int j = lo; j < ctx; j++) sum += sc[j] = Math.exp(sc[j] - mx);
        for (int j = lo; j < ctx; j++) {
          int slot = bt[seq[t] * btStride + j / blockSize] * blockSize + j % blockSize;
          for (int i = 0; i < dim; i++) {
            ref[(t * nq + h) * dim + i] += sc[j] / sum * Bf16.toFloat(vc[(slot * nkv + g) * dim + i]);
          }
        }
      }
    }
    return ref;
  }
}

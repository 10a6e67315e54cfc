package dev.barista.cuda.check;

import dev.barista.cuda.kernels.PersistentDecode;

/**
 * Where a persistent decode launch spends its time, from the clock stamps it records with
 * -Dbarista.cuda.persistentTrace=true: per phase of a layer, the mean over blocks and layers and
 * the mean over layers of the slowest block; how long producers waited for free ring slots (the
 * ring full: consumers are the bottleneck) and consumers waited for weights (memory is).
 */
final class PersistentTraceReport {
  private PersistentTraceReport() {}

  static final String[] INTERVALS = {
    "qkv (norm + projection)", "after qkv (prefetch flag)", "attention (with its wait)", "barrier 2", "o projection", "barrier 3",
    "gate/up (norm + projection)", "barrier 4", "down projection", "barrier 5"
  };

  static final int PHASE_POINTS = 10;
  /**
   * Stamps 10 and 11 split the QKV phase: after its input norm, after its tiles (then its epilogue
   * up to stamp 1); 12-15 split its first tile: its weights there, its dot products done, its slot
   * released, the second tile's weights there.
   */
  static final String[] QKV_PARTS = {
    "  qkv: input norm", "  qkv: tiles", "  qkv: epilogue", "  qkv: tile 0 wait", "  qkv: tile 0 dot products",
    "  qkv: tile 0 release", "  qkv: tile 1 wait"
  };

  /**
   * Stamps 16-21 split the attention phase's first item of a block (from stamp 2 to stamp 3): its
   * wait for its kv head's q, k and v rows, their preparation, the dot products of every warp, the
   * warps' merge and partial results, the count of the head's finished chunks, and the merge of
   * the chunks by the head's last block (then the rest of the phase). Blocks without an item leave
   * them equal and are left out of these means; the chunk merge is the mean over merging blocks.
   * Only kernels built with BARISTA_TRACE_ATTENTION record them (see decode_persistent.cu): with
   * none recorded, the parts are not reported.
   */
  static final String[] ATTENTION_PARTS = {
    "  attention: wait for q/k/v", "  attention: q/k/v prepared", "  attention: dot products", "  attention: warp merge",
    "  attention: chunk count", "  attention: chunk merge", "  attention: rest"
  };

  private static final int FIRST_ATTENTION_POINT = 16;
  private static final int[][] ATTENTION_INTERVALS = {{2, 16}, {16, 17}, {17, 18}, {18, 19}, {19, 20}, {20, 21}, {21, 3}};

  private static boolean attentionRecorded(long[] t, int blocks, int layers, int stride) {
    int first = FIRST_ATTENTION_POINT;
    for (int b = 0; b < blocks; b++) {
      for (int l = 0; l < layers; l++) {
        int base = b * stride + l * PersistentDecode.TRACE_POINTS;
        if (t[base + first + 5] != t[base + first]) return true;
      }
    }
    return false;
  }

  static String attentionParts(long[] t, int blocks, int layers, int stride, double cyclesPerNs) {
    int first = FIRST_ATTENTION_POINT;
    int[][] parts = ATTENTION_INTERVALS;
    StringBuilder sb = new StringBuilder();
    if (!attentionRecorded(t, blocks, layers, stride)) return "";
    for (int k = 0; k < parts.length; k++) {
      double sum = 0;
      int n = 0;
      for (int l = 0; l < layers; l++) {
        for (int b = 0; b < blocks; b++) {
          int base = b * stride + l * PersistentDecode.TRACE_POINTS;
          if (t[base + first + 5] == t[base + first]) continue; // no item in this block
          long d = t[base + parts[k][1]] - t[base + parts[k][0]];
          if (k == 5 && d * 1e3 < cyclesPerNs * 50) continue; // not a merging block (under 50 ns)
          sum += d / cyclesPerNs / 1e3;
          n++;
        }
      }
      sb.append(String.format("  %-28s mean %6.2f us%n", ATTENTION_PARTS[k], n == 0 ? 0 : sum / n));
    }
    return sb.toString();
  }

  /**
   * The block that barrier 2 waits for in each layer: the last to end its attention phase, found
   * as the least time from that end to the barrier's exit (stamps 3 and 4; clock64 is per
   * multiprocessor, so ends are not compared across blocks directly). Its attention parts, the mean
   * over layers, and the blocks that were last most often.
   */
  static String lastToArrive(long[] t, int blocks, int layers, int stride, double cyclesPerNs) {
    if (!attentionRecorded(t, blocks, layers, stride)) return "";
    double[] sums = new double[ATTENTION_INTERVALS.length];
    int[] times = new int[blocks];
    for (int l = 0; l < layers; l++) {
      int last = 0;
      long least = Long.MAX_VALUE;
      for (int b = 0; b < blocks; b++) {
        int base = b * stride + l * PersistentDecode.TRACE_POINTS;
        if (t[base + 4] - t[base + 3] < least) {
          least = t[base + 4] - t[base + 3];
          last = b;
        }
      }
      times[last]++;
      int base = last * stride + l * PersistentDecode.TRACE_POINTS;
      for (int k = 0; k < sums.length; k++) {
        sums[k] += (t[base + ATTENTION_INTERVALS[k][1]] - t[base + ATTENTION_INTERVALS[k][0]]) / cyclesPerNs / 1e3 / layers;
      }
    }
    StringBuilder sb = new StringBuilder("  the block barrier 2 waits for (last to end attention), mean over layers:\n");
    for (int k = 0; k < sums.length; k++) sb.append(String.format("  %-28s       %6.2f us%n", ATTENTION_PARTS[k], sums[k]));
    Integer[] order = new Integer[blocks];
    for (int b = 0; b < blocks; b++) order[b] = b;
    java.util.Arrays.sort(order, (x, y) -> Integer.compare(times[y], times[x]));
    sb.append("    last most often:");
    for (int k = 0; k < Math.min(5, blocks) && times[order[k]] > 0; k++) sb.append(String.format(" %d (%d layers)", order[k], times[order[k]]));
    return sb.append(String.format("%n")).toString();
  }

  /**
   * The {@code n} blocks with the longest mean time in phase interval {@code i} over the layers
   * (block ids: attention items are (kv head, chunk) = (b / chunks, b % chunks) while b < items).
   */
  static String slowestBlocks(long[] t, int blocks, int layers, int stride, double cyclesPerNs, int i, int n) {
    double[] mean = new double[blocks];
    for (int b = 0; b < blocks; b++) {
      for (int l = 0; l < layers; l++) {
        int base = b * stride + l * PersistentDecode.TRACE_POINTS;
        mean[b] += (t[base + i + 1] - t[base + i]) / cyclesPerNs / 1e3 / layers;
      }
    }
    Integer[] order = new Integer[blocks];
    for (int b = 0; b < blocks; b++) order[b] = b;
    java.util.Arrays.sort(order, (x, y) -> Double.compare(mean[y], mean[x]));
    StringBuilder sb = new StringBuilder(String.format("  %-28s", INTERVALS[i] + ": slowest blocks"));
    for (int k = 0; k < Math.min(n, blocks); k++) sb.append(String.format(" %d (%.2f us)", order[k], mean[order[k]]));
    double sum = 0;
    for (double m : mean) sum += m;
    return sb.append(String.format("; mean %.2f us%n", sum / blocks)).toString();
  }

  static String report(long[] t, int blocks, int layers) {
    int stride = layers * PersistentDecode.TRACE_POINTS + PersistentDecode.TRACE_EXTRA;
    int extra = layers * PersistentDecode.TRACE_POINTS;
    double cyclesPerNs = (double) (t[extra + 5] - t[extra + 4]) / (t[extra + 3] - t[extra + 2]);
    double[] mean = new double[INTERVALS.length], slowest = new double[INTERVALS.length];
    int[] count = new int[INTERVALS.length];
    for (int l = 0; l < layers; l++) {
      for (int i = 0; i < INTERVALS.length; i++) {
        if (i == INTERVALS.length - 1 && l == layers - 1) continue; // no barrier after the last layer
        double worst = 0;
        for (int b = 0; b < blocks; b++) {
          int base = b * stride + l * PersistentDecode.TRACE_POINTS;
          long from = t[base + i];
          // stamps 0-9 mark the phases in order; the next layer's stamp 0 ends barrier 5
          long to = i + 1 < PHASE_POINTS ? t[base + i + 1] : t[base + PersistentDecode.TRACE_POINTS];
          double us = (to - from) / cyclesPerNs / 1e3;
          mean[i] += us / blocks;
          worst = Math.max(worst, us);
        }
        slowest[i] += worst;
        count[i]++;
      }
    }
    StringBuilder sb = new StringBuilder();
    double kernelUs = (t[extra + 3] - t[extra + 2]) / 1e3;
    sb.append(String.format("persistent trace: kernel %.1f us (block 0), %.2f cycles/ns, %d blocks, %d layers%n",
        kernelUs, cyclesPerNs, blocks, layers));
    double layerSum = 0;
    for (int i = 0; i < INTERVALS.length; i++) {
      double m = mean[i] / count[i];
      layerSum += m;
      sb.append(String.format("  %-28s mean %6.2f us  slowest block %6.2f us%n", INTERVALS[i], m, slowest[i] / count[i]));
    }
    int[][] parts = {{0, 10}, {10, 11}, {11, 1}, {10, 12}, {12, 13}, {13, 14}, {14, 15}};
    for (int k = 0; k < parts.length; k++) {
      double m = 0;
      for (int l = 1; l < layers; l++) { // layer 0 copies its input instead of the norm
        for (int b = 0; b < blocks; b++) {
          int base = b * stride + l * PersistentDecode.TRACE_POINTS;
          m += (t[base + parts[k][1]] - t[base + parts[k][0]]) / cyclesPerNs / 1e3;
        }
      }
      sb.append(String.format("  %-28s mean %6.2f us%n", QKV_PARTS[k], m / ((layers - 1) * blocks)));
    }
    sb.append(attentionParts(t, blocks, layers, stride, cyclesPerNs));
    sb.append(lastToArrive(t, blocks, layers, stride, cyclesPerNs));
    sb.append(slowestBlocks(t, blocks, layers, stride, cyclesPerNs, 2, 5));
    double waited = 0, starved = 0;
    for (int b = 0; b < blocks; b++) {
      long total = t[b * stride + extra + 5] - t[b * stride + extra + 4];
      waited += (double) t[b * stride + extra] / total / blocks;
      starved += (double) t[b * stride + extra + 1] / total / blocks;
    }
    sb.append(String.format("  per layer %.2f us; producers waited for free slots %.0f%% of the kernel, consumers for weights %.0f%%",
        layerSum, 100 * waited, 100 * starved));
    return sb.toString();
  }
}

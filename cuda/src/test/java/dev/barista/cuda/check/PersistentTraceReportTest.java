package dev.barista.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.cuda.kernels.PersistentDecode;
import org.junit.jupiter.api.Test;

class PersistentTraceReportTest {
  private static final int BLOCKS = 4, LAYERS = 3, P = PersistentDecode.TRACE_POINTS;
  private static final int STRIDE = LAYERS * P + PersistentDecode.TRACE_EXTRA;

  /**
   * A trace where every block's clock starts elsewhere (clock64 is per multiprocessor), block 2
   * ends its attention last in layers 0 and 2 (the least time to the barrier's exit) and block 1
   * in layer 1; the attention parts of a block b take (b + 1) x 100 cycles each, then 50.
   */
  private static long[] trace() {
    long[] t = new long[BLOCKS * STRIDE];
    for (int b = 0; b < BLOCKS; b++) {
      long clock = 1_000_000L * (b + 1);
      for (int l = 0; l < LAYERS; l++) {
        int base = b * STRIDE + l * P;
        for (int i = 0; i <= 2; i++) t[base + i] = clock += 1000;
        long part = (b + 1) * 100L;
        for (int i = 16; i <= 21; i++) t[base + i] = clock += part;
        t[base + 3] = clock += 50;
        boolean last = b == (l == 1 ? 1 : 2);
        t[base + 4] = clock += last ? 10 : 500;
        for (int i = 5; i <= 15; i++) t[base + i] = clock += 1000;
      }
    }
    return t;
  }

  @Test
  void namesTheBlockTheBarrierWaitsForAndItsParts() {
    String r = PersistentTraceReport.lastToArrive(trace(), BLOCKS, LAYERS, STRIDE, 1.0);
    assertTrue(r.contains("last most often: 2 (2 layers) 1 (1 layers)"), r);
    // the mean over layers of the last blocks' parts: (300 + 200 + 300) / 3 cycles at 1 cycle/ns
    String wait = r.lines().filter(x -> x.contains("wait for q/k/v")).findFirst().orElseThrow();
    assertEquals(0.27, Double.parseDouble(wait.replaceAll(".* ([0-9.]+) us$", "$1")), 1e-9, wait);
  }

  @Test
  void saysNothingWithoutAttentionStamps() {
    long[] t = trace();
    for (int b = 0; b < BLOCKS; b++) {
      for (int l = 0; l < LAYERS; l++) {
        for (int i = 16; i <= 21; i++) t[b * STRIDE + l * P + i] = 7;
      }
    }
    assertEquals("", PersistentTraceReport.lastToArrive(t, BLOCKS, LAYERS, STRIDE, 1.0));
  }
}

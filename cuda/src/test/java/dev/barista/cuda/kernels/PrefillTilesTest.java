package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrefillTilesTest {
  @Test
  void decodeTokensFormRunsAndPrefillChunksAreCutIntoTilesOf64() {
    // slices: decode, decode, prefill of 130 tokens from position 20, decode, prefill of 2 from 0
    PrefillTiles p = PrefillTiles.plan(new int[] {1, 1, 130, 1, 2}, new int[] {700, 5, 20, 9, 0});
    assertArrayEquals(new int[] {0, 2, 132, 1}, p.decodeRuns());
    assertEquals(4, p.numTiles());
    // most keys first: the tile holding the chunk's last positions takes longest
    assertArrayEquals(new int[] {
        130, 2, 2, 0,   // positions 148..149
        66, 64, 2, 0,   // positions 84..147
        2, 64, 2, 0,    // positions 20..83
        133, 2, 4, 0},  // positions 0..1
        p.tiles());
  }

  @Test
  void everyTokenIsCoveredExactlyOnceByATileOrARun() {
    int[] tokens = {1, 64, 65, 1, 1, 200, 3, 1};
    int[] starts = {10, 0, 100, 3, 4, 1000, 17, 0};
    PrefillTiles p = PrefillTiles.plan(tokens, starts);
    int total = 0;
    for (int n : tokens) total += n;
    int[] covered = new int[total];
    for (int i = 0; i < p.numTiles(); i++) {
      int first = p.tiles()[4 * i], count = p.tiles()[4 * i + 1];
      assertTrue(count >= 1 && count <= FlashAttention.TILE_TOKENS);
      for (int t = first; t < first + count; t++) covered[t]++;
    }
    for (int r = 0; r < p.numDecodeRuns(); r++) {
      for (int t = p.decodeRuns()[2 * r]; t < p.decodeRuns()[2 * r] + p.decodeRuns()[2 * r + 1]; t++) covered[t]++;
    }
    for (int t = 0; t < total; t++) assertEquals(1, covered[t], "token " + t);
    assertEquals(3, p.numDecodeRuns()); // {0}, {130, 131}, {end}
  }

  @Test
  void aStepOfDecodeTokensOnlyIsOneRunAndNoTile() {
    PrefillTiles p = PrefillTiles.plan(new int[] {1, 1, 1}, new int[] {4, 9, 100});
    assertEquals(0, p.numTiles());
    assertArrayEquals(new int[] {0, 3}, p.decodeRuns());
  }

  @Test
  void theTileTableIsAppendedAt16ByteAlignment() {
    PrefillTiles p = PrefillTiles.plan(new int[] {3}, new int[] {0});
    int[] buf = {7, 7, 7, 7, 7};
    int[] out = p.appendTo(buf);
    assertEquals(8, PrefillTiles.tileOffset(5));
    assertEquals(4, PrefillTiles.tileOffset(4));
    assertArrayEquals(new int[] {7, 7, 7, 7, 7, 0, 0, 0, 0, 3, 0, 0}, out);
  }

  @Test
  void emptySlicesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> PrefillTiles.plan(new int[] {2, 0}, new int[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> PrefillTiles.plan(new int[] {2}, new int[] {0, 0}));
  }

  @Test
  void headDimsRunByTheNextClassAndOthersFallBack() {
    assertEquals(0, FlashAttention.classIndex(8));
    assertEquals(0, FlashAttention.classIndex(16));
    assertEquals(1, FlashAttention.classIndex(32));
    assertEquals(2, FlashAttention.classIndex(64));
    assertEquals(3, FlashAttention.classIndex(96));
    assertEquals(3, FlashAttention.classIndex(128));
    assertFalse(FlashAttention.supports(256));
    assertFalse(FlashAttention.supports(20));
    assertThrows(IllegalArgumentException.class, () -> FlashAttention.classIndex(256));
    // D=128 needs more than the default 48 KiB of shared memory (the launcher raises the limit)
    assertEquals(69632, FlashAttention.sharedBytes(128));
    assertTrue(FlashAttention.sharedBytes(64) <= 48 * 1024);
  }
}

package dev.barista.cuda.kernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which kernel attends for which tokens of a step, when flash prefill is on: the tokens of every
 * sequence slice with more than one query token are cut into query tiles of up to
 * {@link FlashAttention#TILE_TOKENS} tokens for the flash kernel; slices of one token (decode)
 * stay with paged attention, launched once per contiguous run of such tokens.
 *
 * @param tiles 4 ints per tile {first token, tokens, block-table row, 0}, the tiles with the most
 *     keys first (they take longest, so they start first)
 * @param decodeRuns 2 ints per run {first token, tokens}
 */
public record PrefillTiles(int[] tiles, int[] decodeRuns) {
  public static final int INTS_PER_TILE = 4;

  /**
   * @param sliceTokens query tokens of each slice, in the step's token order
   * @param sliceStarts position of each slice's first query token
   */
  public static PrefillTiles plan(int[] sliceTokens, int[] sliceStarts) {
    if (sliceTokens.length != sliceStarts.length) throw new IllegalArgumentException("one start per slice");
    List<int[]> tiles = new ArrayList<>(); // {first token, tokens, row, last position}
    List<Integer> runs = new ArrayList<>();
    int t = 0;
    for (int s = 0; s < sliceTokens.length; s++) {
      int n = sliceTokens[s];
      if (n < 1) throw new IllegalArgumentException("slice " + s + " has no token");
      if (n == 1) {
        int last = runs.size() - 2;
        if (last >= 0 && runs.get(last) + runs.get(last + 1) == t) {
          runs.set(last + 1, runs.get(last + 1) + 1);
        } else {
          runs.add(t);
          runs.add(1);
        }
      } else {
        for (int i = 0; i < n; i += FlashAttention.TILE_TOKENS) {
          int count = Math.min(FlashAttention.TILE_TOKENS, n - i);
          tiles.add(new int[] {t + i, count, s, sliceStarts[s] + i + count - 1});
        }
      }
      t += n;
    }
    tiles.sort((a, b) -> Integer.compare(b[3], a[3]));
    int[] flat = new int[tiles.size() * INTS_PER_TILE];
    for (int i = 0; i < tiles.size(); i++) System.arraycopy(tiles.get(i), 0, flat, i * INTS_PER_TILE, 3);
    return new PrefillTiles(flat, runs.stream().mapToInt(Integer::intValue).toArray());
  }

  public int numTiles() {
    return tiles.length / INTS_PER_TILE;
  }

  public int numDecodeRuns() {
    return decodeRuns.length / 2;
  }

  /**
   * {@code buffer} with the tile table appended at the next multiple of 4 ints (16 bytes, for the
   * kernel's int4 reads); {@link #tileOffset} gives where.
   */
  public int[] appendTo(int[] buffer) {
    int[] out = Arrays.copyOf(buffer, tileOffset(buffer.length) + tiles.length);
    System.arraycopy(tiles, 0, out, tileOffset(buffer.length), tiles.length);
    return out;
  }

  /** Int offset of the tile table after a buffer of {@code length} ints. */
  public static int tileOffset(int length) {
    return (length + 3) / 4 * 4;
  }
}

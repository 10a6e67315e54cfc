package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class GemvTest {
  static final Path SOURCE = Path.of("src/main/cuda/gemv.cu");

  @Test
  void rowsAndWidthsItTakes() {
    assertTrue(Gemv.supports(1, 1024));
    assertTrue(Gemv.supports(8, 3072)); // 8 x 3072 bf16 = 48 KiB staged: Qwen3-0.6B's widest input
    assertTrue(Gemv.supports(1, 14336)); // Llama-3.1-8B's down projection at batch 1
    assertFalse(Gemv.supports(2, 14336), "57 KiB staged is over the default shared memory");
    assertFalse(Gemv.supports(8, 4096));
    assertFalse(Gemv.supports(0, 1024));
    assertFalse(Gemv.supports(9, 64));
    assertFalse(Gemv.supports(1, 1020), "16-byte loads need widths in multiples of 8");
    assertEquals(4, Gemv.entryRows(3));
    assertEquals(8, Gemv.entryRows(5));
    assertThrows(IllegalArgumentException.class, () -> Gemv.entryRows(9));
  }

  @Test
  void blocksPerMultiprocessorTakesOneToEight() {
    assertEquals(4, Gemv.blocksPerSm(null));
    assertEquals(2, Gemv.blocksPerSm("2"));
    for (String bad : new String[] {"0", "9", "two"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> Gemv.blocksPerSm(bad));
      assertTrue(e.getMessage().contains(Gemv.BLOCKS_PER_SM_PROPERTY), e.getMessage());
    }
  }

  @Test
  void longRowsAreSharedByMoreWarps() {
    assertEquals(1, Gemv.warpsPerRow(200));
    assertEquals(1, Gemv.warpsPerRow(1024)); // 4 groups: one pass of one warp
    assertEquals(2, Gemv.warpsPerRow(2048));
    assertEquals(4, Gemv.warpsPerRow(3072));
    assertEquals(4, Gemv.warpsPerRow(4096));
    assertEquals(8, Gemv.warpsPerRow(14336));
    // Qwen3-0.6B: QKV 4096 rows of 1024, down 1024 rows of 3072 - both 512 row groups
    assertEquals(512, Gemv.rowGroups(4096, 1024));
    assertEquals(512, Gemv.rowGroups(1024, 3072));
    assertEquals(501, Gemv.rowGroups(1001, 4096), "2 rows a group; the last one half past the end");
    // on 132 multiprocessors: all 512 groups at once, but Llama-3.1-8B's QKV (3072 groups) loops
    assertEquals(512, Gemv.blocks(4096, 1024, 132));
    assertEquals(528, Gemv.blocks(6144, 4096, 132));
    assertEquals(3, Gemv.blocks(20, 1024, 132));
  }

  /**
   * Replays the kernel's walk over a row (the slices, passes and loads of gemv_impl, with its
   * constants read from the source): every group of every width is read by exactly one warp.
   */
  @Test
  void theWarpsOfARowReadEachGroupOnce() throws Exception {
    String src = Files.readString(SOURCE);
    int warps = constant(src, "WARPS"), p = constant(src, "P"), group = constant(src, "GROUP");
    assertEquals(Gemv.WARPS, warps);
    assertEquals(Gemv.LOADS_PER_LANE, p);
    assertEquals(Gemv.GROUP, group);
    for (int in = 8; in <= 20000; in += 8) {
      int ks = Gemv.warpsPerRow(in), groups = (in + group - 1) / group;
      assertEquals(0, warps % ks);
      int[] seen = new int[groups];
      for (int slice = 0; slice < ks; slice++) {
        for (int pass = 0; ; pass++) {
          for (int u = 0; u < p; u++) {
            int g = slice + ks * (pass * p + u);
            if (g * group < in) seen[g]++;
          }
          if (slice + ks * (pass + 1) * p >= groups) break;
        }
      }
      for (int g = 0; g < groups; g++) assertEquals(1, seen[g], "width " + in + ", group " + g);
    }
  }

  @Test
  void everyEntryTheLauncherNamesIsInTheSource() throws Exception {
    String src = Files.readString(SOURCE);
    assertTrue(Gemv.supportsQkv(128));
    assertTrue(Gemv.supportsQkv(256));
    assertFalse(Gemv.supportsQkv(512), "over the per-warp head buffer");
    assertFalse(Gemv.supportsQkv(100), "a block's 8 rows would straddle two heads");
    for (int m : new int[] {1, 2, 4, 8}) assertTrue(src.contains("GEMV_ENTRIES(" + m + ")"), "entries of M " + m);
    for (Gemv.Prologue p : Gemv.Prologue.values()) {
      for (Gemv.Epilogue e : Gemv.Epilogue.values()) {
        String entry = "GEMV_ENTRY(M, " + p.name() + ", " + e.name() + ", " + p.entry + "_" + e.entry + ")";
        assertEquals(Gemv.exists(p, e), src.contains(entry), entry);
      }
    }
  }

  private static int constant(String src, String name) {
    Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(src);
    assertTrue(m.find(), name + " in the kernel source");
    return Integer.parseInt(m.group(1));
  }
}

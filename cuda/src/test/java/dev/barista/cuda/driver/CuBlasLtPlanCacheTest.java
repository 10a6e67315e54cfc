package dev.barista.cuda.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** CuBlasLt's per-shape cache: the packed shape key and the table that holds the plans. */
class CuBlasLtPlanCacheTest {
  private record Key(long high, long low) {}

  private static Key key(int rows, int in, int out, int inType, int outType, boolean accumulate, int alignLog2) {
    return new Key(
        CuBlasLt.shapeKeyHigh(rows, in), CuBlasLt.shapeKeyLow(out, inType, outType, accumulate, alignLog2));
  }

  @Test
  void everyFieldOfTheShapeChangesTheKey() {
    Key base = key(8, 1024, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8);
    assertEquals(base, key(8, 1024, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(9, 1024, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(8, 1025, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(8, 1024, 4097, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(8, 1024, 4096, CuBlas.R_32F, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(8, 1024, 4096, CuBlas.R_16BF, CuBlas.R_32F, false, 8));
    assertNotEquals(base, key(8, 1024, 4096, CuBlas.R_16BF, CuBlas.R_16BF, true, 8));
    assertNotEquals(base, key(8, 1024, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 4));
    // rows and in swapped, in and out swapped: other shapes
    assertNotEquals(base, key(1024, 8, 4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
    assertNotEquals(base, key(8, 4096, 1024, CuBlas.R_16BF, CuBlas.R_16BF, false, 8));
  }

  @Test
  void realisticShapesGetDistinctKeys() {
    List<Integer> dims = List.of(1024, 2048, 3072, 4096, 6144, 14336, 28672, 128256, 151936, 262144);
    Set<Key> keys = new HashSet<>();
    int count = 0;
    for (int rows = 1; rows <= 8192; rows = rows < 16 ? rows + 1 : rows * 2 + 1) {
      for (int in : dims) {
        for (int out : dims) {
          for (int types = 0; types < 3; types++) { // bf16->bf16, bf16->f32, f32->f32
            int inType = types == 2 ? CuBlas.R_32F : CuBlas.R_16BF;
            int outType = types == 0 ? CuBlas.R_16BF : CuBlas.R_32F;
            for (int align = 0; align <= CuBlasLt.MAX_ALIGNMENT_LOG2; align += 4) {
              keys.add(key(rows, in, out, inType, outType, false, align));
              keys.add(key(rows, in, out, inType, outType, true, align));
              count += 2;
            }
          }
        }
      }
    }
    assertEquals(count, keys.size());
  }

  @Test
  void tableFindsWhatWasPutThroughGrowth() {
    LongPairMap<String> map = new LongPairMap<>();
    int n = 5000;
    for (int i = 0; i < n; i++) {
      map.put(CuBlasLt.shapeKeyHigh(i + 1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8), "r" + i);
    }
    assertEquals(n, map.size());
    for (int i = 0; i < n; i++) {
      assertEquals("r" + i, map.get(CuBlasLt.shapeKeyHigh(i + 1, 1024),
          CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8)));
    }
    assertNull(map.get(CuBlasLt.shapeKeyHigh(n + 1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8)));
    assertNull(map.get(CuBlasLt.shapeKeyHigh(1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, true, 8)));
    map.put(CuBlasLt.shapeKeyHigh(1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8), "again");
    assertEquals(n, map.size());
    assertEquals("again", map.get(CuBlasLt.shapeKeyHigh(1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8)));
    int[] seen = {0};
    map.forEach(v -> seen[0]++);
    assertEquals(n, seen[0]);
    map.clear();
    assertEquals(0, map.size());
    assertNull(map.get(CuBlasLt.shapeKeyHigh(1, 1024), CuBlasLt.shapeKeyLow(4096, CuBlas.R_16BF, CuBlas.R_16BF, false, 8)));
  }
}

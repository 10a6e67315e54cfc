package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PersistentDecodeTest {
  static final Path SOURCE = Path.of("src/main/cuda/decode_persistent.cu");
  static final int H100_SHARED = 227 << 10; // opt-in shared memory per block on sm_90
  static final PersistentDecode.Shape QWEN3_06B = new PersistentDecode.Shape(28, 1024, 16, 8, 128, 3072);
  static final PersistentDecode.Shape LLAMA31_8B = new PersistentDecode.Shape(32, 4096, 32, 8, 128, 14336);

  @Test
  void takesPowerOfTwoCacheBlocksOnly() {
    assertTrue(PersistentDecode.takesBlockSize(16));
    assertTrue(PersistentDecode.takesBlockSize(1));
    assertTrue(PersistentDecode.takesBlockSize(128));
    assertFalse(PersistentDecode.takesBlockSize(24), "a key's row is found by shifts");
    assertFalse(PersistentDecode.takesBlockSize(0));
  }

  @Test
  void takesTheBenchmarkModelsAndTheTinyReferenceModels() {
    assertTrue(PersistentDecode.supports(QWEN3_06B, H100_SHARED, 132));
    assertTrue(PersistentDecode.supports(LLAMA31_8B, H100_SHARED, 132));
    assertTrue(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 4, 2, 32, 192), H100_SHARED, 132)); // tiny-qwen3
    assertTrue(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 8, 2, 8, 160), H100_SHARED, 132)); // tiny-llama31
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 4, 2, 16, 172), H100_SHARED, 132),
        "the bulk copies move whole 16-byte pieces: 172 inputs are not");
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(80, 8192, 64, 8, 128, 28672), H100_SHARED, 132),
        "a 70B down-projection row (56 KiB) does not fit a 32 KiB ring slot");
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(28, 1024, 16, 8, 512, 3072), H100_SHARED, 132));
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(28, 1024, 32, 2, 64, 3072), H100_SHARED, 132), "16 query heads per kv head");
    assertFalse(PersistentDecode.supports(QWEN3_06B, 80 << 10, 132), "two 32 KiB slots, the scratch and 9 KiB static are over 80 KiB");
    assertTrue(PersistentDecode.supports(QWEN3_06B, 100 << 10, 132));
    assertFalse(PersistentDecode.supports(QWEN3_06B, H100_SHARED, 1),
        "on one block, the 4096 QKV rows' sums are over the 2048 a block keeps");
    assertTrue(PersistentDecode.supports(QWEN3_06B, H100_SHARED, 16));
    assertFalse(PersistentDecode.supports(QWEN3_06B, H100_SHARED, 15), "1024 / 15 residual rows a block are over 64");
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(49, 1024, 16, 8, 128, 3072), H100_SHARED, 132),
        "the layer table in shared memory holds 48 layers");
  }

  @Test
  void autoTakesTheKernelForMeasuredLayerSizesOnly() {
    // Qwen3-0.6B: 1024 x (4096 + 2048 + 3 x 3072) x 2 B = 31.5 MB a layer: measured at parity or better
    assertEquals(2L * 1024 * (4096 + 2048 + 3 * 3072), PersistentDecode.layerWeightBytes(QWEN3_06B));
    assertTrue(PersistentDecode.prefers(QWEN3_06B));
    // Llama-3.1-8B: 4096 x (6144 + 4096 + 3 x 14336) x 2 B = 436 MB a layer: measured faster
    assertEquals(2L * 4096 * (6144 + 4096 + 3 * 14336), PersistentDecode.layerWeightBytes(LLAMA31_8B));
    assertTrue(PersistentDecode.prefers(LLAMA31_8B));
    // the tiny reference models (tens of KB a layer) were never timed through it
    assertFalse(PersistentDecode.prefers(new PersistentDecode.Shape(3, 64, 4, 2, 32, 192)));
  }

  @Test
  void smallLayersGetAGatedStreamLargeOnesStreamFreely() {
    assertTrue(PersistentDecode.gatedStream(QWEN3_06B), "31.5 MB a layer: gated");
    assertFalse(PersistentDecode.gatedStream(LLAMA31_8B), "436 MB a layer needs the full bandwidth");
    assertFalse(PersistentDecode.gatedStream(new PersistentDecode.Shape(28, 2048, 16, 8, 128, 6144)),
        "a Qwen3-1.7B layer (101 MB) streams freely");
    assertFalse(PersistentDecode.gatedStream(new PersistentDecode.Shape(2, 64, 4, 2, 32, 192)),
        "tiny layers (forced onto the kernel by checks) stream freely");
    // the bound: 2.6 TB/s over 24 us
    assertEquals(2_600L * 24_000, PersistentDecode.GATED_BELOW_LAYER_BYTES, 400_000);
  }

  @Test
  void sharedMemoryIsTheRingAndTheLargerScratch() {
    // Qwen3-0.6B: staged inputs 3072 x 2 B = 6 KiB; attention 4 x (256 + 256 + 16 x 256 + 64 + 256 + 4) = 19.3 KiB
    assertEquals(4 * (256 + 256 + 16 * 256 + 64 + 256 + 4), PersistentDecode.scratchBytes(QWEN3_06B));
    // Llama-3.1-8B: attention 4 x (512 + 256 + 16 x 512 + 128 + 256 + 8) = 36.5 KiB over staged 14336 x 2 B = 28 KiB
    assertEquals(4 * (512 + 256 + 16 * 512 + 128 + 256 + 8), PersistentDecode.scratchBytes(LLAMA31_8B));
    // the ring takes what is left of 227 KiB: 6 slots for Qwen3-0.6B, 5 for Llama-3.1-8B
    assertEquals(6, PersistentDecode.stages(QWEN3_06B, H100_SHARED));
    assertEquals(5, PersistentDecode.stages(LLAMA31_8B, H100_SHARED));
    for (var s : new PersistentDecode.Shape[] {QWEN3_06B, LLAMA31_8B}) {
      int bytes = PersistentDecode.sharedBytes(s, PersistentDecode.stages(s, H100_SHARED));
      assertTrue(bytes + PersistentDecode.STATIC_SHARED_BYTES <= H100_SHARED, s + ": " + bytes);
    }
    assertEquals(8, PersistentDecode.stages(new PersistentDecode.Shape(2, 64, 4, 2, 32, 192), 1 << 20), "at most 8 slots");
  }

  @Test
  void tilesHoldWholeRowsWithinASlot() {
    assertEquals(16, PersistentDecode.tileUnits(1024, 1)); // 16 rows of 2 KiB
    assertEquals(8, PersistentDecode.tileUnits(1024, 2)); // 8 gate/up pairs
    assertEquals(4, PersistentDecode.tileUnits(4096, 1));
    assertEquals(2, PersistentDecode.tileUnits(4096, 2));
    assertEquals(1, PersistentDecode.tileUnits(14336, 1)); // one 28 KiB row
    assertEquals(4, PersistentDecode.tileUnits(3072, 1)); // 5 rows would fit; tiles are powers of two
    for (int in = 8; in <= 16384; in += 8) {
      for (int mats = 1; mats <= 2; mats++) {
        int u = PersistentDecode.tileUnits(in, mats);
        assertEquals(0, 16 % (u * mats), "a tile's rows divide the 16 consumer warps");
        if (2L * in * mats <= PersistentDecode.SLOT_BYTES) assertTrue(2L * in * mats * u <= PersistentDecode.SLOT_BYTES);
      }
    }
  }

  @Test
  void everyOutputRowBelongsToExactlyOneBlock() {
    for (int out : new int[] {1, 64, 1000, 1024, 4096, 6144, 14336}) {
      int next = 0;
      for (int b = 0; b < 132; b++) {
        int[] rows = PersistentDecode.blockRows(out, 132, b);
        assertEquals(next, rows[0]);
        assertTrue(rows[1] >= rows[0] && rows[1] - rows[0] <= out / 132 + 1, "even shares");
        next = rows[1];
      }
      assertEquals(out, next);
    }
  }

  @Test
  void theLmHeadIsTheKernelsLastPhaseWhereItsRowsSumsFit() {
    // Qwen3-0.6B: 151936 / 132 = 1151 rows a block, one warp a 2 KiB row: 1151 sums of 2048
    assertTrue(PersistentDecode.takesLmHead(QWEN3_06B, 151936, 132));
    // Llama-3.1-8B: 128256 / 132 = 972 rows a block, 4 warps an 8 KiB row: 3888 sums
    assertFalse(PersistentDecode.takesLmHead(LLAMA31_8B, 128256, 132));
    assertFalse(PersistentDecode.takesLmHead(QWEN3_06B, 151936, 66), "2302 rows a block");
    assertFalse(PersistentDecode.takesLmHead(QWEN3_06B, 0, 132));
  }

  @Test
  void twoTokenLaunchesTakeTheShapesTheyHaveEntriesFor() {
    assertEquals(2, PersistentDecode.MAX_TOKENS);
    assertTrue(PersistentDecode.supports(QWEN3_06B, 2, H100_SHARED, 132));
    assertTrue(PersistentDecode.supports(LLAMA31_8B, 2, H100_SHARED, 132));
    assertFalse(PersistentDecode.supports(QWEN3_06B, 3, H100_SHARED, 132));
    assertFalse(PersistentDecode.supports(QWEN3_06B, 4, H100_SHARED, 132), "4 tokens were slower than cuBLAS: no entry");
    assertTrue(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 4, 2, 32, 192), 2, H100_SHARED, 132), "tiny-qwen3");
    assertTrue(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 4, 4, 16, 128), 2, H100_SHARED, 132), "tiny-qwen2");
    assertTrue(PersistentDecode.supports(new PersistentDecode.Shape(2, 64, 8, 2, 8, 160), 2, H100_SHARED, 132), "tiny-llama31");
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(28, 1024, 16, 8, 64, 3072), 2, H100_SHARED, 132),
        "head dim 64: no two-token entry");
    assertFalse(PersistentDecode.supports(new PersistentDecode.Shape(28, 1024, 8, 8, 128, 3072), 2, H100_SHARED, 132),
        "no entry for head dim 128 with one query head a kv head");
    // Llama-3.1-8B's gate/up: 109 pairs a block x 2 x 4 warps a pair x 2 tokens = 1744 sums of 2048
    assertFalse(PersistentDecode.supports(LLAMA31_8B, 2, H100_SHARED, 66), "218 pairs a block: 3488 sums");
    // both tokens' inputs are staged: 2 x 3072 x 2 B = 12 KiB, under the attention's 19.3 KiB
    assertEquals(PersistentDecode.scratchBytes(QWEN3_06B), PersistentDecode.scratchBytes(QWEN3_06B, 2));
    assertEquals(2 * 2 * 14336, PersistentDecode.scratchBytes(LLAMA31_8B, 2));
    assertEquals(4, PersistentDecode.stages(LLAMA31_8B, 2, H100_SHARED));
  }

  @Test
  void entryNamesFollowTheKernelSource() throws IOException {
    String src = Files.readString(SOURCE);
    assertEquals("decode_layers_d128_g2", PersistentDecode.entryName(QWEN3_06B, 1));
    assertEquals("decode_layers_d128_g2_t2", PersistentDecode.entryName(QWEN3_06B, 2));
    assertEquals("decode_layers_d128_g4_t2", PersistentDecode.entryName(LLAMA31_8B, 2));
    assertEquals("decode_layers_d32_g2", PersistentDecode.entryName(new PersistentDecode.Shape(2, 64, 4, 2, 32, 192), 1));
    // every two-token entry the host may ask for is instantiated, and no other
    for (int d : new int[] {8, 16, 32, 64, 128, 256}) {
      for (int g = 1; g <= 8; g *= 2) {
        var shape = new PersistentDecode.Shape(2, 1024, 8 * g, 8, d, 3072);
        String entry = PersistentDecode.entryName(shape, 2);
        assertEquals(PersistentDecode.hasEntry(shape, 2), src.contains(", " + entry + ")"), entry);
      }
    }
  }

  @Test
  void laneDimsAndGroupClassesPickAnEntry() {
    assertEquals(1, PersistentDecode.laneDims(8));
    assertEquals(1, PersistentDecode.laneDims(32));
    assertEquals(2, PersistentDecode.laneDims(64));
    assertEquals(4, PersistentDecode.laneDims(128));
    assertEquals(4, PersistentDecode.laneDims(96));
    assertEquals(8, PersistentDecode.laneDims(256));
    assertEquals(1, PersistentDecode.groupClass(1));
    assertEquals(4, PersistentDecode.groupClass(3));
    assertEquals(8, PersistentDecode.groupClass(8));
  }

  @Test
  void layerTablePacksPointersAsLittleEndianIntPairs() {
    long[] layer = new long[PersistentDecode.LAYER_POINTERS];
    for (int i = 0; i < layer.length; i++) layer[i] = 0x7f00_0000_0000L + ((long) i << 33) + 0x10 * i;
    int[] t = PersistentDecode.layerTable(new long[][] {layer, layer});
    assertEquals(2 * 2 * PersistentDecode.LAYER_POINTERS, t.length);
    for (int i = 0; i < layer.length; i++) {
      long back = (t[2 * i] & 0xffffffffL) | ((long) t[2 * i + 1] << 32);
      assertEquals(layer[i], back);
    }
    assertArrayEquals(java.util.Arrays.copyOf(t, 22), java.util.Arrays.copyOfRange(t, 22, 44));
    assertThrows(IllegalArgumentException.class, () -> PersistentDecode.layerTable(new long[][] {new long[3]}));
  }

  @Test
  void hostConstantsMatchTheKernelSource() throws IOException {
    String src = Files.readString(SOURCE);
    assertEquals(PersistentDecode.CONSUMER_WARPS, constant(src, "CONSUMER_WARPS"));
    assertEquals(PersistentDecode.MAX_STAGES, constant(src, "MAX_STAGES"));
    assertEquals(PersistentDecode.MAX_PHASE_SUMS, constant(src, "MAX_PHASE_SUMS"));
    assertEquals(PersistentDecode.NORM_PER_THREAD, constant(src, "NORM_PER_THREAD"));
    assertEquals(PersistentDecode.TRACE_POINTS, constant(src, "TRACE_POINTS"));
    assertEquals(PersistentDecode.MAX_LAYERS, constant(src, "MAX_LAYERS"));
    assertEquals(PersistentDecode.MAX_OWN_ROWS, constant(src, "MAX_OWN_ROWS"));
    // the QKV words' tags keep the layer in their low 6 bits
    assertTrue(PersistentDecode.MAX_LAYERS <= 64);
    assertTrue(src.contains("((epoch & 0x1ffffffu) << 6) | (unsigned)layer"));
    // the kernel reads its arguments as one struct of 8-byte slots, in the order the host packs them
    assertEquals(PersistentDecode.PARAM_SLOTS, constant(src, "PARAM_SLOTS"));
    Matcher params = Pattern.compile("struct Params \\{([^}]*)\\};").matcher(src);
    assertTrue(params.find());
    long fields = params.group(1).lines().map(l -> l.replaceAll("//.*", "").trim()).filter(l -> l.endsWith(";")).count();
    assertEquals(PersistentDecode.PARAM_SLOTS, fields, "one field per line in Params");
    assertEquals(PersistentDecode.TRACE_EXTRA, constant(src, "TRACE_EXTRA"));
    assertEquals(PersistentDecode.SLOT_BYTES, constant(src, "SLOT_BYTES"));
    assertEquals(PersistentDecode.MAX_TILE_ROWS, constant(src, "MAX_TILE_ROWS"));
    // the layer table: as many pointer fields in LayerPtrs as the host writes per layer
    Matcher struct = Pattern.compile("struct LayerPtrs \\{([^}]*)\\}").matcher(src);
    assertTrue(struct.find());
    assertEquals(PersistentDecode.LAYER_POINTERS, struct.group(1).split(";").length - 1);
    // every entry the host may ask for is instantiated
    for (int dl = 1; dl <= 8; dl *= 2) {
      assertTrue(src.contains("LAYERS_ENTRIES(" + dl + ", " + 32 * dl + ")"), "lane dims " + dl);
    }
    for (int g = 1; g <= 8; g *= 2) assertTrue(src.contains("decode_layers_d##DP##_g" + g), "group " + g);
  }

  private static int constant(String src, String name) {
    Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+)( << (\\d+))?;").matcher(src);
    assertTrue(m.find(), name);
    int v = Integer.parseInt(m.group(1));
    return m.group(3) == null ? v : v << Integer.parseInt(m.group(3));
  }
}

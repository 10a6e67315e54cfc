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

class DecodeAttentionTest {
  static final Path SOURCE = Path.of("src/main/cuda/decode_attention.cu");

  @Test
  void switchTakesV1OrV2AndDefaultsToV2() {
    assertTrue(DecodeAttention.parse(null));
    assertTrue(DecodeAttention.parse(""));
    assertFalse(DecodeAttention.parse("v1"));
    assertTrue(DecodeAttention.parse("v2"));
    var e = assertThrows(IllegalArgumentException.class, () -> DecodeAttention.parse("true"));
    assertTrue(e.getMessage().contains("barista.cuda.decodeAttention"), e.getMessage());
  }

  @Test
  void headDimsGoToTheSmallestClassThatHoldsThem() {
    assertEquals(0, DecodeAttention.classIndex(8));
    assertEquals(0, DecodeAttention.classIndex(32));
    assertEquals(1, DecodeAttention.classIndex(40));
    assertEquals(2, DecodeAttention.classIndex(96));
    assertEquals(2, DecodeAttention.classIndex(128));
    assertEquals(3, DecodeAttention.classIndex(256));
    for (int dim : new int[] {0, 4, 100, 130, 264}) {
      assertFalse(DecodeAttention.supports(dim), "head dim " + dim);
      assertThrows(IllegalArgumentException.class, () -> DecodeAttention.classIndex(dim));
    }
  }

  @Test
  void largeDecodeBatchesAreSplitForShortTails() {
    // 256 sequences x 8 kv heads = 2048 blocks a split; 2 x 528 wanted: 1 split
    assertEquals(1, DecodeAttention.plan(640, 256, 8, 528, 64).splits());
    // 64 sequences: 512 blocks a split, 3 splits
    assertEquals(3, DecodeAttention.plan(2048, 64, 8, 528, 64).splits());
    // 16 sequences: 128 blocks a split, 9 splits
    assertEquals(9, DecodeAttention.plan(2048, 16, 8, 528, 64).splits());
    // the partition is the floor of keys a split gets, whatever the context
    assertEquals(DecodeAttention.MIN_PARTITION, DecodeAttention.plan(2048, 64, 8, 528, 64).partition());
  }

  @Test
  void splitsAreBoundedByTheContextAndTheBuffers() {
    // one token over 4096 keys: 132 splits wanted, 64 pieces of 64 keys
    assertEquals(64, DecodeAttention.plan(4096, 1, 8, 528, 64).splits());
    assertEquals(8, DecodeAttention.plan(4096, 1, 8, 528, 8).splits());
    assertEquals(2, DecodeAttention.plan(100, 1, 8, 528, 64).splits());
    assertEquals(1, DecodeAttention.plan(64, 1, 8, 528, 64).splits());
    assertEquals(1, DecodeAttention.plan(8192, 8192, 8, 528, 1).splits()); // prefill-sized launch
    assertThrows(IllegalArgumentException.class, () -> DecodeAttention.plan(0, 1, 8, 528, 64));
  }

  @Test
  void sharedMemoryMatchesTheKernelsStages() throws Exception {
    String src = Files.readString(SOURCE);
    assertEquals(DecodeAttention.STAGES, constant(src, "STAGES"));
    assertEquals(DecodeAttention.THREADS, constant(src, "THREADS"));
    Matcher tk = Pattern.compile("return DP >= (\\d+) \\? (\\d+) : (\\d+);").matcher(src);
    assertTrue(tk.find(), "tile_keys in the kernel source");
    for (int dp : DecodeAttention.CLASSES) {
      int want = dp >= Integer.parseInt(tk.group(1)) ? Integer.parseInt(tk.group(2)) : Integer.parseInt(tk.group(3));
      assertEquals(want, DecodeAttention.tileKeys(dp), "tile keys of class " + dp);
      int bytes = DecodeAttention.sharedBytes(dp);
      assertEquals(DecodeAttention.STAGES * 2 * want * dp * 2, bytes);
      assertTrue(bytes <= 227 * 1024, "class " + dp + " needs " + bytes + " bytes of shared memory");
      assertTrue(src.contains("DECODE_GROUPS(" + dp + ")"), "entries of class " + dp);
    }
  }

  @Test
  void queryGroupsOfThreeOrMoreGoToTheTensorCoreEntries() throws Exception {
    // group classes 1, 2, 4, 8 are indices 0-3; Llama-3.1-8B (32/8 heads, dim 128) is class 4
    assertTrue(DecodeAttention.takesMma(128, 2));
    assertTrue(DecodeAttention.takesMma(64, 3));
    assertTrue(DecodeAttention.takesMma(8, 2));
    assertFalse(DecodeAttention.takesMma(128, 1), "two query heads: 14 of the 16 mma rows idle");
    assertFalse(DecodeAttention.takesMma(128, 0));
    assertFalse(DecodeAttention.takesMma(256, 3), "head dim 256 keeps the CUDA-core kernel");
    String src = Files.readString(SOURCE);
    assertEquals(DecodeAttention.MMA_TILE_KEYS, constant(src, "MMA_TK"));
    assertEquals(DecodeAttention.MMA_PAD, constant(src, "MMA_PAD"));
    assertEquals(DecodeAttention.MMA_STAGES, constant(src, "MMA_STAGES"));
    for (int i = 0; i < DecodeAttention.MMA_CLASSES.length; i++) {
      int dp = DecodeAttention.MMA_CLASSES[i];
      assertEquals(DecodeAttention.CLASSES[i], dp, "the tensor-core classes are the first CUDA-core classes");
      assertTrue(src.contains("DECODE_MMA_ENTRY(" + dp + ", MMA_STAGES, decode_attention_mma_d" + dp + ")"), "tensor-core entry of class " + dp);
      // two stages of 64 padded K and V rows: 68 KiB at dim 128, three blocks a multiprocessor
      assertEquals(2 * 2 * 64 * (dp + 8) * 2, DecodeAttention.mmaSharedBytes(dp));
      assertTrue(3 * DecodeAttention.mmaSharedBytes(dp) <= 227 * 1024);
    }
  }

  @Test
  void theTensorCoreSwitchTakesTrueOrFalse() {
    String was = System.getProperty(DecodeAttention.MMA_PROPERTY);
    try {
      System.clearProperty(DecodeAttention.MMA_PROPERTY);
      assertTrue(DecodeAttention.mmaRequested());
      System.setProperty(DecodeAttention.MMA_PROPERTY, "false");
      assertFalse(DecodeAttention.mmaRequested());
      System.setProperty(DecodeAttention.MMA_PROPERTY, "no");
      var e = assertThrows(IllegalArgumentException.class, DecodeAttention::mmaRequested);
      assertTrue(e.getMessage().contains(DecodeAttention.MMA_PROPERTY), e.getMessage());
    } finally {
      if (was == null) System.clearProperty(DecodeAttention.MMA_PROPERTY);
      else System.setProperty(DecodeAttention.MMA_PROPERTY, was);
    }
  }

  private static int constant(String src, String name) {
    Matcher m = Pattern.compile("constexpr int " + name + " = (\\d+);").matcher(src);
    assertTrue(m.find(), name + " in the kernel source");
    return Integer.parseInt(m.group(1));
  }
}

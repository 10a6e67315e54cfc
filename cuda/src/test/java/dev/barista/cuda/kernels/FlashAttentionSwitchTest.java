package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FlashAttentionSwitchTest {
  @Test
  void flashPrefillIsOnUnlessTurnedOff() {
    assertTrue(FlashAttention.parse(null));
    assertTrue(FlashAttention.parse(""));
    assertTrue(FlashAttention.parse("true"));
    assertFalse(FlashAttention.parse("false"));
  }

  @Test
  void aTypoIsAnErrorNamingTheProperty() {
    var e = assertThrows(IllegalArgumentException.class, () -> FlashAttention.parse("flase"));
    assertTrue(e.getMessage().contains("barista.cuda.flashPrefill"), e.getMessage());
    assertTrue(e.getMessage().contains("flase"), e.getMessage());
  }

  @Test
  void twoHeadsABlockWhereTheGroupSplitsIntoPairs() {
    assertEquals(2, FlashAttention.headsPerBlock(128, 2, 0)); // Qwen3-0.6B: 16 query heads over 8
    assertEquals(2, FlashAttention.headsPerBlock(128, 4, 0)); // Llama-3.1-8B: 32 over 8
    assertEquals(1, FlashAttention.headsPerBlock(128, 1, 0)); // no grouped heads
    assertEquals(1, FlashAttention.headsPerBlock(128, 3, 0)); // an odd group
    assertEquals(1, FlashAttention.headsPerBlock(16, 2, 0));  // no two-head entry at 16
    assertEquals(2, FlashAttention.headsPerBlock(24, 2, 0));  // runs in the 32 class
    assertEquals(1, FlashAttention.headsPerBlock(128, 2, 1)); // asked for one
    assertEquals(1, FlashAttention.headsPerBlock(128, 3, 2)); // asked for two where it cannot run
  }

  @Test
  void theHeadsPropertyTakesAutoOneOrTwo() {
    assertEquals(0, FlashAttention.parseHeads(null));
    assertEquals(0, FlashAttention.parseHeads("auto"));
    assertEquals(1, FlashAttention.parseHeads("1"));
    assertEquals(2, FlashAttention.parseHeads("2"));
    var e = assertThrows(IllegalArgumentException.class, () -> FlashAttention.parseHeads("4"));
    assertTrue(e.getMessage().contains(FlashAttention.HEADS_PROPERTY), e.getMessage());
  }

  @Test
  void everyEntryTheHostLoadsIsInTheKernelSource() throws IOException {
    String src = Files.readString(Path.of("src/main/cuda/flash_attention.cu"));
    for (int c = 0; c < FlashAttention.CLASSES.length; c++) {
      for (int hb = 1; hb <= 4; hb++) {
        String entry = "FLASH_ENTRY(" + FlashAttention.CLASSES[c] + ", " + hb + ")";
        assertEquals(hb <= FlashAttention.MAX_HEADS_PER_BLOCK[c], src.contains(entry), entry);
      }
    }
    assertEquals("flash_prefill_d128_h2", FlashAttention.entryName(128, 2));
    assertTrue(src.contains("flash_prefill_d##DP##_h##HB"));
  }
}

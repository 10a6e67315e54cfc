package dev.barista.cuda.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}

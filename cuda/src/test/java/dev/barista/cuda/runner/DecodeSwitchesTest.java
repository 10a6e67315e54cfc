package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DecodeSwitchesTest {
  @Test
  void flagsDefaultToOnAndRejectOtherValues() {
    assertTrue(DecodeSwitches.flag(DecodeSwitches.PDL, null));
    assertTrue(DecodeSwitches.flag(DecodeSwitches.PDL, " "));
    assertTrue(DecodeSwitches.flag(DecodeSwitches.FUSED_DECODE, "true"));
    assertFalse(DecodeSwitches.flag(DecodeSwitches.FUSED_DECODE, "false"));
    var e = assertThrows(IllegalArgumentException.class, () -> DecodeSwitches.flag(DecodeSwitches.FUSED_DECODE, "off"));
    assertTrue(e.getMessage().contains("barista.cuda.fusedDecode") && e.getMessage().contains("'off'"), e.getMessage());
  }
}

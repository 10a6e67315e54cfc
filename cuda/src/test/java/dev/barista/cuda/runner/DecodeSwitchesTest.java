package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  @Test
  void persistentDecodeIsAutoUnlessSaidOtherwise() {
    assertEquals(DecodeSwitches.Persistent.AUTO, DecodeSwitches.persistent(null));
    assertEquals(DecodeSwitches.Persistent.AUTO, DecodeSwitches.persistent("auto"));
    assertEquals(DecodeSwitches.Persistent.ON, DecodeSwitches.persistent("true"));
    assertEquals(DecodeSwitches.Persistent.OFF, DecodeSwitches.persistent("false"));
    var e = assertThrows(IllegalArgumentException.class, () -> DecodeSwitches.persistent("yes"));
    assertTrue(e.getMessage().contains(DecodeSwitches.PERSISTENT_DECODE) && e.getMessage().contains("'yes'"), e.getMessage());
    assertFalse(DecodeSwitches.flag(DecodeSwitches.PERSISTENT_TRACE, null, false), "the trace is off unless asked for");
  }

  @Test
  void twoSequenceStepsTakeThePersistentKernelUnlessTurnedOff() {
    System.clearProperty(DecodeSwitches.PERSISTENT_MULTI_TOKEN);
    assertTrue(DecodeSwitches.persistentMultiToken());
    System.setProperty(DecodeSwitches.PERSISTENT_MULTI_TOKEN, "false");
    try {
      assertFalse(DecodeSwitches.persistentMultiToken());
      System.setProperty(DecodeSwitches.PERSISTENT_MULTI_TOKEN, "2");
      assertThrows(IllegalArgumentException.class, DecodeSwitches::persistentMultiToken);
    } finally {
      System.clearProperty(DecodeSwitches.PERSISTENT_MULTI_TOKEN);
    }
  }
}

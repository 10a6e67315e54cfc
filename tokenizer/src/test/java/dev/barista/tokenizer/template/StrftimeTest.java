package dev.barista.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/**
 * strftime_now's formatting on fixed times. Expected strings printed by CPython 3.11 on glibc:
 * datetime(...).strftime("%U %W %x %X %c %G %g %V %C %k %l %P|%-U %-V").
 */
class StrftimeTest {
  private static final String FORMAT = "%U %W %x %X %c %G %g %V %C %k %l %P|%-U %-V";

  @Test
  void weekNumbersLocaleFormsAndIsoYearMatchPython() {
    assertEquals("01 00 01/04/26 09:05:07 Sun Jan  4 09:05:07 2026 2026 26 01 20  9  9 am|1 1",
        Strftime.format(FORMAT, LocalDateTime.of(2026, 1, 4, 9, 5, 7)));
    assertEquals("00 00 01/01/27 00:00:00 Fri Jan  1 00:00:00 2027 2026 26 53 20  0 12 am|0 53",
        Strftime.format(FORMAT, LocalDateTime.of(2027, 1, 1, 0, 0, 0)));
    assertEquals("52 53 12/30/24 23:59:59 Mon Dec 30 23:59:59 2024 2025 25 01 20 23 11 pm|52 1",
        Strftime.format(FORMAT, LocalDateTime.of(2024, 12, 30, 23, 59, 59)));
  }
}

package dev.barista.tokenizer.template;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** Python's datetime.strftime for the C locale, including glibc's "%-d" (no padding) flag. */
final class Strftime {
  private Strftime() {}

  static String format(String fmt, LocalDateTime t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%' || i + 1 >= fmt.length()) {
        sb.append(c);
        continue;
      }
      char d = fmt.charAt(++i);
      boolean pad = true;
      if (d == '-' && i + 1 < fmt.length()) {
        pad = false;
        d = fmt.charAt(++i);
      }
      sb.append(directive(d, t, pad));
    }
    return sb.toString();
  }

  private static String num(int v, int width, boolean pad) {
    return pad ? String.format("%0" + width + "d", v) : Integer.toString(v);
  }

  private static String directive(char d, LocalDateTime t, boolean pad) {
    return switch (d) {
      case 'Y' -> Integer.toString(t.getYear());
      case 'y' -> num(t.getYear() % 100, 2, pad);
      case 'm' -> num(t.getMonthValue(), 2, pad);
      case 'd' -> num(t.getDayOfMonth(), 2, pad);
      case 'e' -> String.format("%2d", t.getDayOfMonth());
      case 'H' -> num(t.getHour(), 2, pad);
      case 'I' -> num(t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2, pad);
      case 'M' -> num(t.getMinute(), 2, pad);
      case 'S' -> num(t.getSecond(), 2, pad);
      case 'f' -> String.format("%06d", t.getNano() / 1000);
      case 'j' -> num(t.getDayOfYear(), 3, pad);
      case 'p' -> t.getHour() < 12 ? "AM" : "PM";
      case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
      case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
      case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
      case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
      case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
      case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
      case 'F' -> String.format("%d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
      case 'D' -> String.format("%02d/%02d/%02d", t.getMonthValue(), t.getDayOfMonth(), t.getYear() % 100);
      case 'T' -> String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
      case 'R' -> String.format("%02d:%02d", t.getHour(), t.getMinute());
      case 'U' -> num((t.getDayOfYear() - 1 + 7 - t.getDayOfWeek().getValue() % 7) / 7, 2, pad);
      case 'W' -> num((t.getDayOfYear() - 1 + 7 - (t.getDayOfWeek().getValue() - 1)) / 7, 2, pad);
      case 'V' -> num(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, pad);
      case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
      case 'g' -> num(t.get(IsoFields.WEEK_BASED_YEAR) % 100, 2, pad);
      case 'C' -> num(t.getYear() / 100, 2, pad);
      case 'k' -> String.format("%2d", t.getHour());
      case 'l' -> String.format("%2d", t.getHour() % 12 == 0 ? 12 : t.getHour() % 12);
      case 'P' -> t.getHour() < 12 ? "am" : "pm";
      case 'x' -> directive('D', t, true);
      case 'X' -> directive('T', t, true);
      case 'c' -> directive('a', t, true) + " " + directive('b', t, true) + " " + directive('e', t, true) + " "
          + directive('T', t, true) + " " + t.getYear();
      case 'n' -> "\n";
      case 't' -> "\t";
      case '%' -> "%";
      case 'Z', 'z' -> "";
      default -> "%" + d;
    };
  }
}

package dev.barista.apps.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as written in app files: seconds as a number, "90s", "10m", "1h", "1h30m" or ISO-8601. */
public final class Durations {
  private static final Pattern PARTS = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  public static Duration parse(String field, String text) {
    String t = text.trim();
    if (t.matches("\\d+(\\.\\d+)?")) return seconds(field, Double.parseDouble(t));
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase());
      } catch (DateTimeParseException e) {
        throw bad(field, text);
      }
    }
    Matcher m = PARTS.matcher(t);
    long millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) throw bad(field, text);
      double v = Double.parseDouble(m.group(1));
      millis += (long) (v * switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      });
      end = m.end();
    }
    if (end == 0 || end != t.length()) throw bad(field, text);
    return Duration.ofMillis(millis);
  }

  public static Duration seconds(String field, double seconds) {
    if (seconds < 0 || Double.isNaN(seconds)) throw bad(field, Double.toString(seconds));
    return Duration.ofMillis(Math.round(seconds * 1000));
  }

  /** Short form for display: "600s", "1.5s". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + "s" : (ms / 1000.0) + "s";
  }

  private static AppValidationException bad(String field, String text) {
    return new AppValidationException(
        field, "'" + text + "' is not a duration (use seconds, or e.g. 90s, 10m, 1h)");
  }
}

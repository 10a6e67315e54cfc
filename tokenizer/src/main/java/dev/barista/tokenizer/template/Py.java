package dev.barista.tokenizer.template;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Python's text rules that templates observe: whitespace, str(), repr(), float formatting. */
final class Py {
  private Py() {}

  static boolean isSpace(int c) {
    return Character.isWhitespace(c) || c == 0x85 || c == 0xA0 || c == 0x2007 || c == 0x202F;
  }

  static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) if (!isSpace(s.charAt(i))) return false;
    return true;
  }

  static String lstrip(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) i++;
    return s.substring(i);
  }

  static String rstrip(String s) {
    int i = s.length();
    while (i > 0 && isSpace(s.charAt(i - 1))) i--;
    return s.substring(0, i);
  }

  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    if (left) {
      while (start < end && stripped(s.codePointAt(start), chars)) start += Character.charCount(s.codePointAt(start));
    }
    if (right) {
      while (end > start && stripped(s.codePointBefore(end), chars)) end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean stripped(int cp, String chars) {
    return chars == null ? isSpace(cp) : chars.indexOf(new String(Character.toChars(cp))) >= 0;
  }

  /** Python's str() of a template value. */
  static String str(Object v) {
    if (v == null) return "None";
    if (v instanceof String s) return s;
    if (v instanceof Boolean b) return b ? "True" : "False";
    if (v instanceof Double d) return floatRepr(d);
    if (v instanceof Undefined) return "";
    if (v instanceof List<?> || v instanceof Map<?, ?>) return repr(v);
    return v.toString();
  }

  /** Python's repr() of a template value. */
  static String repr(Object v) {
    if (v instanceof String s) return stringRepr(s);
    if (v instanceof Tuple t) return t.repr();
    if (v instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) sb.append(i > 0 ? ", " : "").append(repr(list.get(i)));
      return sb.append(']').toString();
    }
    if (v instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ", ").append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
        first = false;
      }
      return sb.append('}').toString();
    }
    return str(v);
  }

  static String stringRepr(String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    StringBuilder sb = new StringBuilder().append(quote);
    s.codePoints().forEach(c -> {
      if (c == quote || c == '\\') sb.append('\\').appendCodePoint(c);
      else if (c == '\n') sb.append("\\n");
      else if (c == '\r') sb.append("\\r");
      else if (c == '\t') sb.append("\\t");
      else if (c < 0x20 || c == 0x7F) sb.append(String.format("\\x%02x", c));
      else if (!isPrintable(c)) sb.append(c <= 0xFF ? String.format("\\x%02x", c) : c <= 0xFFFF ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
      else sb.appendCodePoint(c);
    });
    return sb.append(quote).toString();
  }

  private static boolean isPrintable(int c) {
    if (c == ' ') return true;
    int t = Character.getType(c);
    return !(t == Character.CONTROL || t == Character.FORMAT || t == Character.SURROGATE
        || t == Character.PRIVATE_USE || t == Character.UNASSIGNED || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR || t == Character.SPACE_SEPARATOR);
  }

  /** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) return "nan";
    if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = bd.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - bd.scale();
    String sign = d < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
    String plain = bd.abs().toPlainString();
    return sign + (plain.contains(".") ? plain : plain + ".0");
  }
}

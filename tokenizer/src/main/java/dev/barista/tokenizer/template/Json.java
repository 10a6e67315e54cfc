package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/**
 * The tojson filter as transformers defines it: Python's json.dumps with ensure_ascii=False, the
 * default separators (", " and ": ", or "," with indent), optional indent and sort_keys, no HTML
 * escaping.
 */
final class Json {
  private Json() {}

  static String dumps(Object v, Integer indent, boolean sortKeys, String itemSep, String keySep) {
    StringBuilder sb = new StringBuilder();
    String items = itemSep != null ? itemSep : indent != null ? "," : ", ";
    String keys = keySep != null ? keySep : ": ";
    write(sb, v, indent, sortKeys, items, keys, 0);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, Integer indent, boolean sort, String items, String keys, int depth) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (v instanceof Long l) {
      sb.append(l);
    } else if (v instanceof Double d) {
      sb.append(Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : Py.floatRepr(d));
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof List<?> list) {
      if (list.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) sb.append(items);
        newline(sb, indent, depth + 1);
        write(sb, list.get(i), indent, sort, items, keys, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        sb.append("{}");
        return;
      }
      List<? extends Map.Entry<?, ?>> entries = new java.util.ArrayList<>(map.entrySet());
      if (sort) entries.sort((a, b) -> key(a.getKey()).compareTo(key(b.getKey())));
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : entries) {
        if (!first) sb.append(items);
        first = false;
        newline(sb, indent, depth + 1);
        string(sb, key(e.getKey()));
        sb.append(keys);
        write(sb, e.getValue(), indent, sort, items, keys, depth + 1);
      }
      newline(sb, indent, depth);
      sb.append('}');
    } else if (v instanceof Undefined u) {
      throw new TemplateException("TypeError: Object of type Undefined is not JSON serializable (" + u.hint + ")");
    } else {
      throw new TemplateException("TypeError: Object of type " + Ops.typeName(v) + " is not JSON serializable");
    }
  }

  private static String key(Object k) {
    if (k instanceof String s) return s;
    if (k == null) return "null";
    if (k instanceof Boolean b) return b ? "true" : "false";
    return Py.str(k);
  }

  private static void newline(StringBuilder sb, Integer indent, int depth) {
    if (indent == null) return;
    sb.append('\n').append(" ".repeat(indent * depth));
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c) && !validPair(s, i)) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    sb.append('"');
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}

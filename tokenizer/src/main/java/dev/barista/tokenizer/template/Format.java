package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Python's printf-style "%" formatting and str.format, for the forms templates use. */
final class Format {
  private Format() {}

  /**
   * Python's fmt % args: a tuple gives the values in order, a mapping gives them by %(name)s, any
   * other object is the one value. Leftover values are an error except for mappings and lists.
   */
  static String percent(String fmt, Object args) {
    boolean tuple = args instanceof Tuple;
    List<?> values = tuple ? (List<?>) args : java.util.Collections.singletonList(args);
    boolean leftoversAllowed = !tuple && (args instanceof Map<?, ?> || args instanceof List<?>);
    StringBuilder out = new StringBuilder();
    int k = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      String key = null;
      if (i + 1 < fmt.length() && fmt.charAt(i + 1) == '(') {
        int close = fmt.indexOf(')', i + 2);
        if (close < 0) throw new TemplateException("ValueError: incomplete format key");
        key = fmt.substring(i + 2, close);
        i = close;
      }
      int j = i + 1;
      while (j < fmt.length() && "-+ #0123456789.".indexOf(fmt.charAt(j)) >= 0) j++;
      if (j >= fmt.length()) throw new TemplateException("ValueError: incomplete format");
      String spec = fmt.substring(i + 1, j);
      char conv = fmt.charAt(j);
      i = j;
      if (conv == '%') {
        out.append('%');
        continue;
      }
      if (key != null) {
        if (!(args instanceof Map<?, ?> m)) throw new TemplateException("TypeError: format requires a mapping");
        if (!m.containsKey(key)) throw new TemplateException("KeyError: " + Py.repr(key));
        out.append(convert(spec, conv, m.get(key)));
        continue;
      }
      if (k >= values.size()) throw new TemplateException("TypeError: not enough arguments for format string");
      out.append(convert(spec, conv, values.get(k++)));
    }
    if (k < values.size() && !leftoversAllowed) {
      throw new TemplateException("TypeError: not all arguments converted during string formatting");
    }
    return out.toString();
  }

  private static String convert(String spec, char conv, Object v) {
    return switch (conv) {
      case 's' -> String.format("%" + spec + "s", Py.str(v));
      case 'r' -> String.format("%" + spec + "s", Py.repr(v));
      case 'd', 'i' -> String.format("%" + spec + "d", (long) Ops.asDouble(v));
      case 'f', 'F', 'e', 'E', 'g', 'G' -> String.format("%" + spec + conv, Ops.asDouble(v));
      case 'x', 'X', 'o' -> String.format("%" + spec + conv, Ops.asLong(v));
      case 'c' -> v instanceof String s ? s : new String(Character.toChars((int) Ops.asLong(v)));
      default -> throw new TemplateException("ValueError: unsupported format character '" + conv + "'");
    };
  }

  /** str.format with {}, {0} and {name} fields (format specs are not supported). */
  static String format(String fmt, List<Object> args, Map<String, Object> kwargs) {
    StringBuilder out = new StringBuilder();
    int auto = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c == '{' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
        out.append('{');
        i++;
      } else if (c == '}' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '}') {
        out.append('}');
        i++;
      } else if (c == '{') {
        int end = fmt.indexOf('}', i);
        if (end < 0) throw new TemplateException("ValueError: Single '{' encountered in format string");
        String field = fmt.substring(i + 1, end);
        int colon = field.indexOf(':');
        if (colon >= 0) field = field.substring(0, colon);
        Object v;
        if (field.isEmpty()) v = args.get(auto++);
        else if (field.chars().allMatch(Character::isDigit)) v = args.get(Integer.parseInt(field));
        else v = kwargs.get(field);
        out.append(Py.str(v));
        i = end;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

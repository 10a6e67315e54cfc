package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Python's printf-style "%" formatting and str.format, for the forms templates use. */
final class Format {
  private Format() {}

  static String percent(String fmt, Object args) {
    List<?> values = args instanceof List<?> l ? l : List.of(args == null ? "None" : args);
    if (args == null) values = java.util.Collections.singletonList(null);
    StringBuilder out = new StringBuilder();
    int k = 0;
    for (int i = 0; i < fmt.length(); i++) {
      char c = fmt.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
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
      if (k >= values.size()) throw new TemplateException("TypeError: not enough arguments for format string");
      out.append(convert(spec, conv, values.get(k++)));
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

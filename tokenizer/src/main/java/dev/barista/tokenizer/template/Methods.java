package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute access on values: Python's str, list and dict methods as bound callables. Mutating
 * methods are refused, as transformers' ImmutableSandboxedEnvironment refuses them.
 */
final class Methods {
  private static final Set<String> MUTATING = Set.of("append", "extend", "insert", "pop", "remove", "clear",
      "sort", "reverse", "update", "setdefault", "popitem", "add", "discard");

  private Methods() {}

  /** The bound method, or null when the type has no such attribute. */
  static JinjaCallable find(Object target, String name) {
    if (MUTATING.contains(name) && (target instanceof List<?> || target instanceof Map<?, ?>)) {
      return (a, k) -> {
        throw new TemplateException("SecurityError: access to attribute '" + name + "' of '"
            + Ops.typeName(target) + "' object is unsafe.");
      };
    }
    if (target instanceof String s) return stringMethod(s, name);
    if (target instanceof Map<?, ?> m) return dictMethod(m, name);
    if (target instanceof List<?> l) return listMethod(l, name);
    return null;
  }

  private static Object arg(List<Object> args, int i, Object fallback) {
    return i < args.size() ? args.get(i) : fallback;
  }

  private static JinjaCallable dictMethod(Map<?, ?> m, String name) {
    return switch (name) {
      case "items" -> (a, k) -> {
        List<Object> out = new ArrayList<>();
        m.forEach((key, v) -> out.add(new Tuple(key, v)));
        return out;
      };
      case "keys" -> (a, k) -> new ArrayList<Object>(m.keySet());
      case "values" -> (a, k) -> new ArrayList<Object>(m.values());
      case "get" -> (a, k) -> m.containsKey(a.get(0)) ? m.get(a.get(0)) : arg(a, 1, null);
      case "copy" -> (a, k) -> new java.util.LinkedHashMap<Object, Object>(m);
      default -> null;
    };
  }

  private static List<Object> splitlines(String s) {
    List<Object> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean br = c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || (c >= 0x1C && c <= 0x1E)
          || c == 0x85 || c == 0x2028 || c == 0x2029;
      if (!br) continue;
      out.add(s.substring(start, i));
      if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
      start = i + 1;
    }
    if (start < s.length()) out.add(s.substring(start));
    return out;
  }

  private static JinjaCallable listMethod(List<?> l, String name) {
    return switch (name) {
      case "index" -> (a, k) -> {
        for (int i = 0; i < l.size(); i++) if (Ops.eq(l.get(i), a.get(0))) return (long) i;
        throw new TemplateException("ValueError: " + Py.repr(a.get(0)) + " is not in list");
      };
      case "count" -> (a, k) -> l.stream().filter(x -> Ops.eq(x, a.get(0))).count();
      case "copy" -> (a, k) -> new ArrayList<Object>(l);
      default -> null;
    };
  }

  private static String str(List<Object> args, int i) {
    Object v = arg(args, i, null);
    return v == null ? null : (String) v;
  }

  private static JinjaCallable stringMethod(String s, String name) {
    return switch (name) {
      case "startswith" -> (a, k) -> affix(s, a, true);
      case "endswith" -> (a, k) -> affix(s, a, false);
      case "strip" -> (a, k) -> Py.strip(s, str(a, 0), true, true);
      case "lstrip" -> (a, k) -> Py.strip(s, str(a, 0), true, false);
      case "rstrip" -> (a, k) -> Py.strip(s, str(a, 0), false, true);
      case "split" -> (a, k) -> split(s, str(a, 0), maxsplit(a, k));
      case "rsplit" -> (a, k) -> rsplit(s, str(a, 0), maxsplit(a, k));
      case "splitlines" -> (a, k) -> splitlines(s);
      case "replace" -> (a, k) -> replace(s, (String) a.get(0), (String) a.get(1), a.size() > 2 ? Ops.asLong(a.get(2)) : -1);
      case "upper" -> (a, k) -> s.toUpperCase(java.util.Locale.ROOT);
      case "lower" -> (a, k) -> s.toLowerCase(java.util.Locale.ROOT);
      case "casefold" -> (a, k) -> s.toLowerCase(java.util.Locale.ROOT);
      case "title" -> (a, k) -> title(s);
      case "capitalize" -> (a, k) -> s.isEmpty() ? s : Strings.chars(s).getFirst().toUpperCase(java.util.Locale.ROOT)
          + s.substring(Strings.chars(s).getFirst().length()).toLowerCase(java.util.Locale.ROOT);
      case "swapcase" -> (a, k) -> swapcase(s);
      case "find" -> (a, k) -> (long) cpIndex(s, s.indexOf((String) a.get(0)));
      case "rfind" -> (a, k) -> (long) cpIndex(s, s.lastIndexOf((String) a.get(0)));
      case "index", "rindex" -> (a, k) -> {
        int i = name.equals("index") ? s.indexOf((String) a.get(0)) : s.lastIndexOf((String) a.get(0));
        if (i < 0) throw new TemplateException("ValueError: substring not found");
        return (long) cpIndex(s, i);
      };
      case "count" -> (a, k) -> count(s, (String) a.get(0));
      case "join" -> (a, k) -> {
        StringBuilder sb = new StringBuilder();
        List<Object> items = Ops.iterate(a.get(0));
        for (int i = 0; i < items.size(); i++) sb.append(i > 0 ? s : "").append((String) items.get(i));
        return sb.toString();
      };
      case "isdigit", "isnumeric", "isdecimal" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
      case "isalpha" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
      case "isalnum" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
      case "isspace" -> (a, k) -> !s.isEmpty() && s.codePoints().allMatch(Py::isSpace);
      case "isupper" -> (a, k) -> s.codePoints().anyMatch(Character::isUpperCase) && s.codePoints().noneMatch(Character::isLowerCase);
      case "islower" -> (a, k) -> s.codePoints().anyMatch(Character::isLowerCase) && s.codePoints().noneMatch(Character::isUpperCase);
      case "istitle" -> (a, k) -> !s.isEmpty() && title(s).equals(s) && s.codePoints().anyMatch(Character::isLetter);
      case "zfill" -> (a, k) -> zfill(s, (int) Ops.asLong(a.get(0)));
      case "center", "ljust", "rjust" -> (a, k) -> pad(s, name, (int) Ops.asLong(a.get(0)), a.size() > 1 ? (String) a.get(1) : " ");
      case "partition" -> (a, k) -> partition(s, (String) a.get(0), s.indexOf((String) a.get(0)), true);
      case "rpartition" -> (a, k) -> partition(s, (String) a.get(0), s.lastIndexOf((String) a.get(0)), false);
      case "removeprefix" -> (a, k) -> s.startsWith((String) a.get(0)) ? s.substring(((String) a.get(0)).length()) : s;
      case "removesuffix" -> (a, k) -> !((String) a.get(0)).isEmpty() && s.endsWith((String) a.get(0))
          ? s.substring(0, s.length() - ((String) a.get(0)).length()) : s;
      case "format" -> (a, k) -> Format.format(s, a, k);
      default -> null;
    };
  }

  private static int maxsplit(List<Object> a, Map<String, Object> k) {
    Object v = k.containsKey("maxsplit") ? k.get("maxsplit") : arg(a, 1, -1L);
    return (int) Ops.asLong(v);
  }

  private static boolean affix(String s, List<Object> args, boolean prefix) {
    Object what = args.get(0);
    String target = s;
    if (args.size() > 1) target = Strings.slice(s, args.get(1), args.size() > 2 ? args.get(2) : null, null);
    List<Object> options = what instanceof List<?> l ? new ArrayList<>(l) : List.of(what);
    for (Object o : options) {
      if (!(o instanceof String x)) {
        throw new TemplateException("TypeError: " + (prefix ? "startswith" : "endswith") + " first arg must be str or a tuple of str, not " + Ops.typeName(o));
      }
      if (prefix ? target.startsWith(x) : target.endsWith(x)) return true;
    }
    return false;
  }

  static List<Object> split(String s, String sep, int maxsplit) {
    List<Object> out = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && Py.isSpace(s.charAt(i))) i++;
        if (i >= n) break;
        if (maxsplit >= 0 && out.size() == maxsplit) {
          out.add(Py.rstrip(s.substring(i)));
          break;
        }
        int j = i;
        while (j < n && !Py.isSpace(s.charAt(j))) j++;
        out.add(s.substring(i, j));
        i = j;
      }
      return out;
    }
    if (sep.isEmpty()) throw new TemplateException("ValueError: empty separator");
    int start = 0;
    while (maxsplit < 0 || out.size() < maxsplit) {
      int i = s.indexOf(sep, start);
      if (i < 0) break;
      out.add(s.substring(start, i));
      start = i + sep.length();
    }
    out.add(s.substring(start));
    return out;
  }

  private static List<Object> rsplit(String s, String sep, int maxsplit) {
    if (maxsplit < 0) return split(s, sep, maxsplit);
    if (sep == null) {
      List<Object> out = new ArrayList<>();
      int end = s.length();
      while (true) {
        while (end > 0 && Py.isSpace(s.charAt(end - 1))) end--;
        if (end <= 0) break;
        if (out.size() == maxsplit) {
          out.add(Py.lstrip(s.substring(0, end)));
          break;
        }
        int j = end;
        while (j > 0 && !Py.isSpace(s.charAt(j - 1))) j--;
        out.add(s.substring(j, end));
        end = j;
      }
      java.util.Collections.reverse(out);
      return out;
    }
    List<Object> out = new ArrayList<>();
    int end = s.length();
    while (out.size() < maxsplit) {
      int i = s.lastIndexOf(sep, end - sep.length());
      if (i < 0) break;
      out.add(s.substring(i + sep.length(), end));
      end = i;
    }
    out.add(s.substring(0, end));
    java.util.Collections.reverse(out);
    return out;
  }

  private static String replace(String s, String old, String replacement, long count) {
    if (count < 0) return s.replace(old, replacement);
    StringBuilder sb = new StringBuilder();
    int start = 0;
    for (long n = 0; n < count; n++) {
      int i = s.indexOf(old, start);
      if (i < 0) break;
      sb.append(s, start, i).append(replacement);
      start = i + old.length();
      if (old.isEmpty()) {
        if (start < s.length()) sb.append(s.charAt(start));
        start++;
      }
    }
    if (start <= s.length()) sb.append(s.substring(Math.min(start, s.length())));
    return sb.toString();
  }

  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean previousCased = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
      previousCased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  private static String swapcase(String s) {
    StringBuilder sb = new StringBuilder();
    s.codePoints().forEach(cp -> sb.appendCodePoint(
        Character.isUpperCase(cp) ? Character.toLowerCase(cp) : Character.isLowerCase(cp) ? Character.toUpperCase(cp) : cp));
    return sb.toString();
  }

  private static int cpIndex(String s, int charIndex) {
    return charIndex < 0 ? -1 : s.codePointCount(0, charIndex);
  }

  private static long count(String s, String sub) {
    if (sub.isEmpty()) return s.codePointCount(0, s.length()) + 1;
    long n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) n++;
    return n;
  }

  private static String zfill(String s, int width) {
    int len = s.codePointCount(0, s.length());
    if (len >= width) return s;
    String zeros = "0".repeat(width - len);
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) return s.charAt(0) + zeros + s.substring(1);
    return zeros + s;
  }

  static String pad(String s, String how, int width, String fill) {
    int len = s.codePointCount(0, s.length());
    if (len >= width) return s;
    int total = width - len;
    return switch (how) {
      case "ljust" -> s + fill.repeat(total);
      case "rjust" -> fill.repeat(total) + s;
      default -> {
        int left = total / 2 + (total & width & 1);
        yield fill.repeat(left) + s + fill.repeat(total - left);
      }
    };
  }

  private static Tuple partition(String s, String sep, int at, boolean front) {
    if (at < 0) return front ? new Tuple(s, "", "") : new Tuple("", "", s);
    return new Tuple(s.substring(0, at), sep, s.substring(at + sep.length()));
  }
}

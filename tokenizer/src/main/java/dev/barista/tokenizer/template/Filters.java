package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Jinja's built-in filters, with transformers' tojson. */
final class Filters {
  static final java.util.Set<String> NAMES = java.util.Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dict", "dictsort", "e", "escape", "first", "float", "forceescape", "format", "groupby", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "wordcount");

  private Filters() {}

  static Object apply(Renderer r, String name, Object v, Args a) {
    return switch (name) {
      case "tojson" -> Json.dumps(v, a.has(0, "indent") && a.get(0, "indent", null) != null
              ? (int) Ops.asLong(a.get(0, "indent", null)) : null,
          Ops.truthy(a.get(99, "sort_keys", false)), separator(a, 0), separator(a, 1));
      case "trim" -> Py.strip(str(v), (String) a.get(0, "chars", null), true, true);
      case "length", "count" -> (long) Ops.len(v);
      case "upper" -> str(v).toUpperCase(Locale.ROOT);
      case "lower" -> str(v).toLowerCase(Locale.ROOT);
      case "capitalize" -> capitalize(str(v));
      case "title" -> title(str(v));
      case "default", "d" -> {
        boolean bool = Ops.truthy(a.get(1, "boolean", false));
        boolean useDefault = v instanceof Undefined || (bool && !Ops.truthy(v));
        yield useDefault ? a.get(0, "default_value", "") : v;
      }
      case "join" -> join(r, v, (String) a.get(0, "d", ""), a.get(1, "attribute", null));
      case "first" -> {
        List<Object> items = Ops.iterate(v);
        yield items.isEmpty() ? new Undefined("No first item, sequence was empty.") : items.getFirst();
      }
      case "last" -> {
        List<Object> items = Ops.iterate(v);
        yield items.isEmpty() ? new Undefined("No last item, sequence was empty.") : items.getLast();
      }
      case "list" -> Ops.iterate(v);
      case "string" -> str(v);
      case "safe", "escape", "e", "forceescape" -> name.equals("safe") ? v : escape(str(v));
      case "int" -> toInt(v, a.get(0, "default", 0L));
      case "float" -> toFloat(v, a.get(0, "default", 0.0));
      case "abs" -> v instanceof Double d ? (Object) Math.abs(d) : (Object) Math.abs(Ops.asLong(v));
      case "round" -> round(v, (int) Ops.asLong(a.get(0, "precision", 0L)), (String) a.get(1, "method", "common"));
      case "replace" -> {
        String s = str(v);
        Object count = a.get(2, "count", null);
        List<Object> margs = new ArrayList<>(List.of(a.get(0, "old", ""), a.get(1, "new", "")));
        if (count != null) margs.add(count);
        yield Methods.find(s, "replace").call(margs, Map.of());
      }
      case "reverse" -> reverse(v);
      case "sort" -> sort(r, v, Ops.truthy(a.get(0, "reverse", false)), Ops.truthy(a.get(1, "case_sensitive", false)), a.get(2, "attribute", null));
      case "unique" -> unique(r, v, a.get(1, "attribute", null));
      case "map" -> map(r, v, a);
      case "select", "reject" -> select(r, v, a, name.equals("select"), false);
      case "selectattr", "rejectattr" -> select(r, v, a, name.equals("selectattr"), true);
      case "items" -> {
        if (v instanceof Undefined) yield List.of();
        if (!(v instanceof Map<?, ?>)) throw new TemplateException("TypeError: Can only get item pairs from a mapping.");
        yield Methods.find(v, "items").call(List.of(), Map.of());
      }
      case "dictsort" -> dictsort(v, Ops.truthy(a.get(0, "case_sensitive", false)), (String) a.get(1, "by", "key"), Ops.truthy(a.get(2, "reverse", false)));
      case "indent" -> indent(str(v), a.get(0, "width", 4L), Ops.truthy(a.get(1, "first", false)), Ops.truthy(a.get(2, "blank", false)));
      case "sum" -> sum(r, v, a.get(0, "attribute", null), a.get(1, "start", 0L));
      case "min", "max" -> minmax(r, v, name.equals("max"), Ops.truthy(a.get(0, "case_sensitive", false)), a.get(1, "attribute", null));
      case "wordcount" -> (long) Methods.split(str(v), null, -1).size();
      case "center" -> Methods.pad(str(v), "center", (int) Ops.asLong(a.get(0, "width", 80L)), " ");
      case "format" -> {
        if (!a.keywords().isEmpty() && !a.positional().isEmpty()) {
          throw new TemplateException("FilterArgumentError: can't handle positional and keyword arguments at the same time");
        }
        yield Format.percent(str(v), !a.keywords().isEmpty() ? a.keywords() : Tuple.of(a.positional()));
      }
      case "striptags" -> String.join(" ", Methods.split(str(v).replaceAll("(?s)<!--.*?-->|<[^>]*>", ""), null, -1).stream().map(Object::toString).toList());
      case "attr" -> r.getAttr(v, (String) a.get(0, "name", ""));
      case "pprint" -> Py.repr(v);
      case "batch" -> batch(v, (int) Ops.asLong(a.get(0, "linecount", 1L)), a.get(1, "fill_with", null));
      case "truncate" -> truncate(str(v), (int) Ops.asLong(a.get(0, "length", 255L)), Ops.truthy(a.get(1, "killwords", false)), (String) a.get(2, "end", "..."), (int) Ops.asLong(a.get(3, "leeway", 5L)));
      case "dict" -> new LinkedHashMap<>((Map<?, ?>) v);
      case "groupby" -> Grouping.groupBy(r, v, a.get(0, "attribute", null), a.get(1, "default", null),
          Ops.truthy(a.get(2, "case_sensitive", false)));
      case "slice" -> Grouping.slice(v, (int) Ops.asLong(a.get(0, "slices", 1L)), a.get(1, "fill_with", null));
      default -> throw new TemplateException("TemplateAssertionError: No filter named '" + name + "'.");
    };
  }

  private static String separator(Args a, int which) {
    Object seps = a.get(99, "separators", null);
    if (seps instanceof List<?> l && l.size() == 2) return (String) l.get(which);
    return null;
  }

  private static String str(Object v) {
    return Py.str(v);
  }

  private static String capitalize(String s) {
    if (s.isEmpty()) return s;
    String first = Strings.chars(s).getFirst();
    return first.toUpperCase(Locale.ROOT) + s.substring(first.length()).toLowerCase(Locale.ROOT);
  }

  /** Jinja's title: capitalize each chunk after whitespace, '-', and opening brackets. */
  private static String title(String s) {
    StringBuilder sb = new StringBuilder();
    boolean start = true;
    for (String c : Strings.chars(s)) {
      boolean boundary = Py.isBlank(c) || "-({[<".contains(c);
      sb.append(boundary ? c : start ? c.toUpperCase(Locale.ROOT) : c.toLowerCase(Locale.ROOT));
      start = boundary;
    }
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;");
  }

  private static Object join(Renderer r, Object v, String sep, Object attribute) {
    StringBuilder sb = new StringBuilder();
    List<Object> items = Ops.iterate(v);
    for (int i = 0; i < items.size(); i++) {
      Object item = attribute == null ? items.get(i) : r.getAttrPath(items.get(i), attribute);
      sb.append(i > 0 ? sep : "").append(str(item));
    }
    return sb.toString();
  }

  private static Object toInt(Object v, Object fallback) {
    if (v instanceof Long) return v;
    if (v instanceof Boolean b) return b ? 1L : 0L;
    if (v instanceof Double d) return (long) (double) d;
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.strip().replace("_", ""));
      } catch (NumberFormatException e) {
        try {
          return (long) Double.parseDouble(s.strip());
        } catch (NumberFormatException e2) {
          return fallback;
        }
      }
    }
    return fallback;
  }

  private static Object toFloat(Object v, Object fallback) {
    if (v instanceof Long || v instanceof Double || v instanceof Boolean) return Ops.asDouble(v);
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  private static Object round(Object v, int precision, String method) {
    double d = Ops.asDouble(v);
    java.math.RoundingMode mode = switch (method) {
      case "ceil" -> java.math.RoundingMode.CEILING;
      case "floor" -> java.math.RoundingMode.FLOOR;
      default -> java.math.RoundingMode.HALF_EVEN;
    };
    return new java.math.BigDecimal(d).setScale(precision, mode).doubleValue();
  }

  private static Object reverse(Object v) {
    if (v instanceof String s) return new StringBuilder(s).reverse().toString();
    List<Object> items = Ops.iterate(v);
    java.util.Collections.reverse(items);
    return items;
  }

  private static Comparator<Object> order(Renderer r, boolean caseSensitive, Object attribute) {
    return (x, y) -> {
      Object a = attribute == null ? x : r.getAttrPath(x, attribute);
      Object b = attribute == null ? y : r.getAttrPath(y, attribute);
      if (!caseSensitive && a instanceof String s && b instanceof String t) {
        return Ops.compare(s.toLowerCase(Locale.ROOT), t.toLowerCase(Locale.ROOT), "<");
      }
      return Ops.compare(a, b, "<");
    };
  }

  private static Object sort(Renderer r, Object v, boolean reverse, boolean caseSensitive, Object attribute) {
    List<Object> items = Ops.iterate(v);
    Comparator<Object> c = order(r, caseSensitive, attribute);
    items.sort(reverse ? c.reversed() : c);
    return items;
  }

  private static Object unique(Renderer r, Object v, Object attribute) {
    List<Object> out = new ArrayList<>();
    List<Object> seen = new ArrayList<>();
    for (Object item : Ops.iterate(v)) {
      Object key = attribute == null ? item : r.getAttrPath(item, attribute);
      if (key instanceof String s) key = s.toLowerCase(Locale.ROOT);
      Object k = key;
      if (seen.stream().noneMatch(x -> Ops.eq(x, k))) {
        seen.add(k);
        out.add(item);
      }
    }
    return out;
  }

  private static Object map(Renderer r, Object v, Args a) {
    List<Object> out = new ArrayList<>();
    if (a.keywords().containsKey("attribute")) {
      Object attribute = a.keywords().get("attribute");
      for (Object item : Ops.iterate(v)) {
        Object x = r.getAttrPath(item, attribute);
        if (x instanceof Undefined && a.keywords().containsKey("default")) x = a.keywords().get("default");
        out.add(x);
      }
      return out;
    }
    String filter = (String) a.positional().getFirst();
    Args rest = new Args(a.positional().subList(1, a.positional().size()), a.keywords());
    for (Object item : Ops.iterate(v)) out.add(apply(r, filter, item, rest));
    return out;
  }

  private static Object select(Renderer r, Object v, Args a, boolean keep, boolean byAttribute) {
    List<Object> out = new ArrayList<>();
    List<Object> pos = a.positional();
    int k = byAttribute ? 1 : 0;
    String test = pos.size() > k ? (String) pos.get(k) : null;
    List<Object> testArgs = pos.size() > k + 1 ? pos.subList(k + 1, pos.size()) : List.of();
    for (Object item : Ops.iterate(v)) {
      Object x = byAttribute ? r.getAttrPath(item, pos.getFirst()) : item;
      boolean pass = test == null ? Ops.truthy(x) : Tests.apply(test, x, testArgs);
      if (pass == keep) out.add(item);
    }
    return out;
  }

  private static Object dictsort(Object v, boolean caseSensitive, String by, boolean reverse) {
    List<Object> pairs = new ArrayList<>();
    ((Map<?, ?>) v).forEach((k, x) -> pairs.add(new Tuple(k, x)));
    int index = by.equals("value") ? 1 : 0;
    Comparator<Object> c = (x, y) -> {
      Object a = ((List<?>) x).get(index);
      Object b = ((List<?>) y).get(index);
      if (!caseSensitive && a instanceof String s && b instanceof String t) {
        return s.toLowerCase(Locale.ROOT).compareTo(t.toLowerCase(Locale.ROOT));
      }
      return Ops.compare(a, b, "<");
    };
    pairs.sort(reverse ? c.reversed() : c);
    return pairs;
  }

  private static Object indent(String s, Object width, boolean first, boolean blank) {
    String pad = width instanceof String w ? w : " ".repeat((int) Ops.asLong(width));
    String[] lines = s.split("\n", -1);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) sb.append('\n');
      boolean indentThis = i == 0 ? first : (blank || !lines[i].isEmpty() && !Py.isBlank(lines[i]));
      if (i > 0 && !blank && lines[i].isEmpty()) indentThis = false;
      sb.append(indentThis ? pad : "").append(lines[i]);
    }
    return sb.toString();
  }

  private static Object sum(Renderer r, Object v, Object attribute, Object start) {
    Object total = start;
    for (Object item : Ops.iterate(v)) total = Ops.add(total, attribute == null ? item : r.getAttrPath(item, attribute));
    return total;
  }

  private static Object minmax(Renderer r, Object v, boolean max, boolean caseSensitive, Object attribute) {
    List<Object> items = Ops.iterate(v);
    if (items.isEmpty()) return new Undefined("No aggregated item, sequence was empty.");
    Comparator<Object> c = order(r, caseSensitive, attribute);
    return max ? items.stream().max(c).get() : items.stream().min(c).get();
  }

  private static Object batch(Object v, int size, Object fill) {
    List<Object> out = new ArrayList<>();
    List<Object> current = new ArrayList<>();
    for (Object item : Ops.iterate(v)) {
      current.add(item);
      if (current.size() == size) {
        out.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      if (fill != null) while (current.size() < size) current.add(fill);
      out.add(current);
    }
    return out;
  }

  private static Object truncate(String s, int length, boolean killwords, String end, int leeway) {
    if (s.length() <= length + leeway) return s;
    if (killwords) return s.substring(0, length - end.length()) + end;
    String cut = s.substring(0, length - end.length());
    int space = cut.lastIndexOf(' ');
    return (space >= 0 ? cut.substring(0, space) : cut) + end;
  }
}

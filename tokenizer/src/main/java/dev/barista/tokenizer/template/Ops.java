package dev.barista.tokenizer.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Python semantics of template values: truth, equality, ordering, arithmetic, len, iteration. */
final class Ops {
  private Ops() {}

  /** Converts caller values (Integer, Float, BigDecimal, arrays...) to the template's value types. */
  static Object fromJava(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
    if (v instanceof Float f) return f.doubleValue();
    if (v instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
    if (v instanceof BigDecimal b) return b.doubleValue();
    if (v instanceof Character c) return String.valueOf(c);
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, val) -> out.put(fromJava(k), fromJava(val)));
      return out;
    }
    if (v instanceof Iterable<?> it) {
      List<Object> out = new ArrayList<>();
      it.forEach(x -> out.add(fromJava(x)));
      return out;
    }
    if (v instanceof Object[] arr) {
      List<Object> out = new ArrayList<>();
      for (Object x : arr) out.add(fromJava(x));
      return out;
    }
    return v;
  }

  static boolean truthy(Object v) {
    if (v == null || v instanceof Undefined) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof Long l) return l != 0;
    if (v instanceof Double d) return d != 0;
    if (v instanceof String s) return !s.isEmpty();
    if (v instanceof List<?> l) return !l.isEmpty();
    if (v instanceof Map<?, ?> m) return !m.isEmpty();
    return true;
  }

  static String typeName(Object v) {
    if (v == null) return "NoneType";
    if (v instanceof Undefined) return "Undefined";
    if (v instanceof Boolean) return "bool";
    if (v instanceof Long) return "int";
    if (v instanceof Double) return "float";
    if (v instanceof String) return "str";
    if (v instanceof Tuple) return "tuple";
    if (v instanceof List<?>) return "list";
    if (v instanceof Map<?, ?>) return "dict";
    if (v instanceof Namespace) return "Namespace";
    if (v instanceof JinjaCallable) return "function";
    return v.getClass().getSimpleName();
  }

  static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean;
  }

  static boolean isInt(Object v) {
    return v instanceof Long || v instanceof Boolean;
  }

  static long asLong(Object v) {
    if (v instanceof Boolean b) return b ? 1 : 0;
    return ((Number) v).longValue();
  }

  static double asDouble(Object v) {
    if (v instanceof Boolean b) return b ? 1 : 0;
    return ((Number) v).doubleValue();
  }

  static boolean eq(Object a, Object b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? asLong(a) == asLong(b) : asDouble(a) == asDouble(b);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!eq(x.get(i), y.get(i))) return false;
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) return false;
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()))) return false;
      }
      return true;
    }
    return a.equals(b);
  }

  static int compare(Object a, Object b, String op) {
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? Long.compare(asLong(a), asLong(b)) : Double.compare(asDouble(a), asDouble(b));
    }
    if (a instanceof String x && b instanceof String y) return Integer.signum(compareCodePoints(x, y));
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        if (!eq(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
      }
      return Integer.compare(x.size(), y.size());
    }
    throw new TemplateException("TypeError: '" + op + "' not supported between instances of '"
        + typeName(a) + "' and '" + typeName(b) + "'");
  }

  private static int compareCodePoints(String x, String y) {
    int i = 0;
    int j = 0;
    while (i < x.length() && j < y.length()) {
      int a = x.codePointAt(i);
      int b = y.codePointAt(j);
      if (a != b) return Integer.compare(a, b);
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Integer.compare(x.length() - i, y.length() - j);
  }

  static void checkDefined(Object v) {
    if (v instanceof Undefined u) throw u.error();
  }

  static Object add(Object a, Object b) {
    checkDefined(a);
    checkDefined(b);
    if (isNumber(a) && isNumber(b)) {
      return isInt(a) && isInt(b) ? (Object) Math.addExact(asLong(a), asLong(b)) : (Object) (asDouble(a) + asDouble(b));
    }
    if (a instanceof String x && b instanceof String y) return x + y;
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if ((a instanceof Tuple) != (b instanceof Tuple)) {
        throw new TemplateException("TypeError: can only concatenate " + typeName(a) + " (not \"" + typeName(b) + "\") to " + typeName(a));
      }
      List<Object> out = new ArrayList<>(x);
      out.addAll(y);
      return a instanceof Tuple ? Tuple.of(out) : out;
    }
    if (a instanceof String) {
      throw new TemplateException("TypeError: can only concatenate str (not \"" + typeName(b) + "\") to str");
    }
    throw unsupported("+", a, b);
  }

  static TemplateException unsupported(String op, Object a, Object b) {
    return new TemplateException("TypeError: unsupported operand type(s) for " + op + ": '"
        + typeName(a) + "' and '" + typeName(b) + "'");
  }

  static Object arithmetic(String op, Object a, Object b) {
    checkDefined(a);
    checkDefined(b);
    if (op.equals("*")) {
      if (a instanceof String s && isInt(b)) return s.repeat((int) Math.max(0, asLong(b)));
      if (isInt(a) && b instanceof String s) return s.repeat((int) Math.max(0, asLong(a)));
      if (a instanceof List<?> l && isInt(b)) return Collections.nCopies((int) Math.max(0, asLong(b)), l).stream().flatMap(List::stream).toList();
    }
    if (op.equals("%") && a instanceof String s) return Format.percent(s, b);
    if (!isNumber(a) || !isNumber(b)) throw unsupported(op, a, b);
    boolean ints = isInt(a) && isInt(b);
    switch (op) {
      case "-" -> {
        return ints ? (Object) (asLong(a) - asLong(b)) : (Object) (asDouble(a) - asDouble(b));
      }
      case "*" -> {
        return ints ? (Object) (asLong(a) * asLong(b)) : (Object) (asDouble(a) * asDouble(b));
      }
      case "/" -> {
        if (asDouble(b) == 0) throw new TemplateException("ZeroDivisionError: division by zero");
        return asDouble(a) / asDouble(b);
      }
      case "//" -> {
        if (asDouble(b) == 0) throw new TemplateException("ZeroDivisionError: integer division or modulo by zero");
        return ints ? (Object) Math.floorDiv(asLong(a), asLong(b)) : (Object) Math.floor(asDouble(a) / asDouble(b));
      }
      case "%" -> {
        if (asDouble(b) == 0) throw new TemplateException("ZeroDivisionError: integer division or modulo by zero");
        if (ints) return Math.floorMod(asLong(a), asLong(b));
        double m = asDouble(a) % asDouble(b);
        if (m != 0 && (m < 0) != (asDouble(b) < 0)) m += asDouble(b);
        return m;
      }
      case "**" -> {
        if (ints && asLong(b) >= 0) return BigInteger.valueOf(asLong(a)).pow((int) asLong(b)).longValue();
        return Math.pow(asDouble(a), asDouble(b));
      }
      default -> throw new TemplateException("unknown operator " + op);
    }
  }

  static Object negate(Object v) {
    checkDefined(v);
    if (isInt(v)) return -asLong(v);
    if (v instanceof Double d) return -d;
    throw new TemplateException("TypeError: bad operand type for unary -: '" + typeName(v) + "'");
  }

  static int len(Object v) {
    if (v instanceof String s) return s.codePointCount(0, s.length());
    if (v instanceof List<?> l) return l.size();
    if (v instanceof Map<?, ?> m) return m.size();
    if (v instanceof Undefined) return 0;
    throw new TemplateException("TypeError: object of type '" + typeName(v) + "' has no len()");
  }

  /** The items a for loop visits: list items, dict keys, string characters. */
  static List<Object> iterate(Object v) {
    if (v instanceof List<?> l) return new ArrayList<>(l);
    if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
    if (v instanceof String s) return new ArrayList<>(Strings.chars(s));
    if (v instanceof Undefined) return new ArrayList<>();
    throw new TemplateException("TypeError: '" + typeName(v) + "' object is not iterable");
  }

  static boolean contains(Object container, Object item) {
    if (container instanceof String s) {
      if (!(item instanceof String x)) {
        throw new TemplateException("TypeError: 'in <string>' requires string as left operand, not " + typeName(item));
      }
      return s.contains(x);
    }
    if (container instanceof Map<?, ?> m) return m.containsKey(item) || m.keySet().stream().anyMatch(k -> eq(k, item));
    if (container instanceof Undefined) return false;
    if (!(container instanceof List<?> l)) {
      // Python words the `in` failure differently from the for-loop one.
      throw new TemplateException("TypeError: argument of type '" + typeName(container) + "' is not iterable");
    }
    for (Object x : l) if (eq(x, item)) return true;
    return false;
  }

  /** Python's slice(start, stop, step) over a sequence of length n: the chosen indices. */
  static List<Integer> sliceIndices(int n, Object start, Object stop, Object step) {
    long st = step == null ? 1 : asLong(step);
    if (st == 0) throw new TemplateException("ValueError: slice step cannot be zero");
    long lo;
    long hi;
    if (st > 0) {
      lo = start == null ? 0 : clamp(asLong(start), n, 0, n);
      hi = stop == null ? n : clamp(asLong(stop), n, 0, n);
    } else {
      lo = start == null ? n - 1 : clamp(asLong(start), n, -1, n - 1);
      hi = stop == null ? -1 : clamp(asLong(stop), n, -1, n - 1);
    }
    List<Integer> out = new ArrayList<>();
    for (long i = lo; st > 0 ? i < hi : i > hi; i += st) out.add((int) i);
    return out;
  }

  private static long clamp(long index, int n, long min, long max) {
    if (index < 0) index += n;
    return Math.max(min, Math.min(max, index));
  }
}

package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Jinja's tests: {@code x is defined}, {@code x is string}, {@code n is divisibleby 3}... */
final class Tests {
  static final java.util.Set<String> NAMES = java.util.Set.of("!=", "<", "<=", "==", ">", ">=", "boolean", "callable", "defined", "divisibleby", "eq", "equalto", "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le", "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test", "true", "undefined", "upper");

  private Tests() {}

  static boolean apply(String name, Object v, List<Object> args) {
    Object a = args.isEmpty() ? null : args.get(0);
    return switch (name) {
      case "defined" -> !(v instanceof Undefined);
      case "undefined" -> v instanceof Undefined;
      case "none" -> v == null;
      case "string" -> v instanceof String;
      case "number" -> v instanceof Long || v instanceof Double || v instanceof Boolean; // bool is a Python Number
      case "integer" -> v instanceof Long;
      case "float" -> v instanceof Double;
      case "boolean" -> v instanceof Boolean;
      case "true" -> Boolean.TRUE.equals(v);
      case "false" -> Boolean.FALSE.equals(v);
      case "mapping" -> v instanceof Map<?, ?>;
      case "sequence" -> v instanceof List<?> || v instanceof String || v instanceof Map<?, ?>;
      case "iterable" -> v instanceof List<?> || v instanceof String || v instanceof Map<?, ?>;
      case "callable" -> v instanceof JinjaCallable;
      case "sameas" -> v == a || (v != null && (v instanceof Boolean || v instanceof Long) && v.equals(a));
      case "eq", "equalto", "==" -> Ops.eq(v, a);
      case "ne", "!=" -> !Ops.eq(v, a);
      case "lt", "lessthan", "<" -> Ops.compare(v, a, "<") < 0;
      case "gt", "greaterthan", ">" -> Ops.compare(v, a, ">") > 0;
      case "le", "<=" -> Ops.compare(v, a, "<=") <= 0;
      case "ge", ">=" -> Ops.compare(v, a, ">=") >= 0;
      case "in" -> Ops.contains(a, v);
      case "divisibleby" -> Ops.asLong(v) % Ops.asLong(a) == 0;
      case "even" -> Ops.asLong(v) % 2 == 0;
      case "odd" -> Ops.asLong(v) % 2 != 0;
      case "lower" -> v instanceof String s && s.equals(s.toLowerCase(java.util.Locale.ROOT));
      case "upper" -> v instanceof String s && s.equals(s.toUpperCase(java.util.Locale.ROOT));
      case "escaped" -> false;
      case "filter" -> v instanceof String s && Filters.NAMES.contains(s);
      case "test" -> v instanceof String s && NAMES.contains(s);
      default -> throw new TemplateException("TemplateRuntimeError: No test named '" + name + "'.");
    };
  }
}

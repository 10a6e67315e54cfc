package dev.barista.tokenizer.template;

import java.util.LinkedHashMap;
import java.util.Map;

/** The object namespace(...) returns: attributes a loop body may assign with {% set ns.x = ... %}. */
final class Namespace {
  final Map<String, Object> attrs = new LinkedHashMap<>();

  @Override
  public String toString() {
    return "<Namespace " + Py.repr(attrs) + ">";
  }
}

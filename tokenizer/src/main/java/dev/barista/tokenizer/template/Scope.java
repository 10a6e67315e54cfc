package dev.barista.tokenizer.template;

import java.util.HashMap;
import java.util.Map;

/** A frame of variables; lookups fall back to the enclosing frame. */
final class Scope {
  private final Map<String, Object> vars = new HashMap<>();
  private final Scope parent;

  Scope(Scope parent) {
    this.parent = parent;
  }

  /** True when the name is bound here or in an enclosing frame; fills found[0] with its value. */
  boolean lookup(String name, Object[] found) {
    for (Scope s = this; s != null; s = s.parent) {
      if (s.vars.containsKey(name)) {
        found[0] = s.vars.get(name);
        return true;
      }
    }
    return false;
  }

  void set(String name, Object value) {
    vars.put(name, value);
  }
}

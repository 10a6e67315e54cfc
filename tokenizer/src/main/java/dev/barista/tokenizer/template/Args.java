package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Positional-or-keyword argument lookup for filters, tests and globals. */
record Args(List<Object> positional, Map<String, Object> keywords) {
  Object get(int index, String name, Object fallback) {
    if (keywords.containsKey(name)) return keywords.get(name);
    return index < positional.size() ? positional.get(index) : fallback;
  }

  boolean has(int index, String name) {
    return keywords.containsKey(name) || index < positional.size();
  }
}

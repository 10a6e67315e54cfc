package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** Something a template can call: a global, a bound method, a macro, loop(...) or caller(). */
@FunctionalInterface
interface JinjaCallable {
  Object call(List<Object> args, Map<String, Object> kwargs);
}

package dev.barista.tokenizer.template;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Functions every chat template can call: Jinja's globals plus transformers' additions. */
final class Globals {
  private Globals() {}

  static void install(Scope scope) {
    scope.set("range", (JinjaCallable) (a, k) -> range(a));
    scope.set("namespace", (JinjaCallable) (a, k) -> {
      Namespace ns = new Namespace();
      if (!a.isEmpty() && a.getFirst() instanceof Map<?, ?> m) m.forEach((key, v) -> ns.attrs.put(Py.str(key), v));
      ns.attrs.putAll(k);
      return ns;
    });
    scope.set("dict", (JinjaCallable) (a, k) -> {
      Map<Object, Object> m = new LinkedHashMap<>();
      if (!a.isEmpty() && a.getFirst() instanceof Map<?, ?> first) m.putAll(first);
      m.putAll(k);
      return m;
    });
    scope.set("raise_exception", (JinjaCallable) (a, k) -> {
      throw new TemplateRaisedException(a.isEmpty() ? "" : Py.str(a.getFirst()));
    });
    scope.set("strftime_now", (JinjaCallable) (a, k) -> Strftime.format(Py.str(a.getFirst()), LocalDateTime.now()));
    scope.set("cycler", (JinjaCallable) (a, k) -> cycler(a));
    scope.set("joiner", (JinjaCallable) (a, k) -> joiner(a.isEmpty() ? ", " : Py.str(a.getFirst())));
  }

  private static List<Object> range(List<Object> a) {
    long start = a.size() > 1 ? Ops.asLong(a.get(0)) : 0;
    long stop = a.size() > 1 ? Ops.asLong(a.get(1)) : Ops.asLong(a.get(0));
    long step = a.size() > 2 ? Ops.asLong(a.get(2)) : 1;
    if (step == 0) throw new TemplateException("ValueError: range() arg 3 must not be zero");
    List<Object> out = new ArrayList<>();
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.add(i);
      if (out.size() > 100_000) throw new TemplateException("OverflowError: range too big, maximum size for range is 100000");
    }
    return out;
  }

  private static Object cycler(List<Object> items) {
    Map<Object, Object> state = new LinkedHashMap<>();
    int[] pos = {0};
    state.put("next", (JinjaCallable) (a, k) -> items.get(pos[0]++ % items.size()));
    state.put("reset", (JinjaCallable) (a, k) -> {
      pos[0] = 0;
      return null;
    });
    return state;
  }

  private static Object joiner(String sep) {
    boolean[] used = {false};
    return (JinjaCallable) (a, k) -> {
      if (used[0]) return sep;
      used[0] = true;
      return "";
    };
  }
}

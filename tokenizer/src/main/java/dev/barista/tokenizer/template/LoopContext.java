package dev.barista.tokenizer.template;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable of a for loop; calling it recurses in a recursive loop. */
final class LoopContext implements JinjaCallable {
  final List<Object> items;
  final int depth;
  final JinjaCallable recurse;
  int index0;
  private Object lastChanged = new Object();

  LoopContext(List<Object> items, int depth, JinjaCallable recurse) {
    this.items = items;
    this.depth = depth;
    this.recurse = recurse;
  }

  Object attr(String name) {
    int n = items.size();
    return switch (name) {
      case "index" -> (long) index0 + 1;
      case "index0" -> (long) index0;
      case "revindex" -> (long) (n - index0);
      case "revindex0" -> (long) (n - index0 - 1);
      case "first" -> index0 == 0;
      case "last" -> index0 == n - 1;
      case "length" -> (long) n;
      case "depth" -> (long) depth;
      case "depth0" -> (long) depth - 1;
      case "previtem" -> index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
      case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : new Undefined("there is no next item");
      case "cycle" -> (JinjaCallable) (args, kw) -> {
        if (args.isEmpty()) throw new TemplateException("TypeError: no items for cycling given");
        return args.get(index0 % args.size());
      };
      case "changed" -> (JinjaCallable) (args, kw) -> {
        Object value = List.copyOf(args.stream().map(x -> x == null ? "\0None" : x).toList());
        boolean changed = !Ops.eq(value, lastChanged);
        lastChanged = value;
        return changed;
      };
      default -> new Undefined("'LoopContext' object has no attribute '" + name + "'");
    };
  }

  @Override
  public Object call(List<Object> args, Map<String, Object> kwargs) {
    if (recurse == null) throw new TemplateException("TypeError: Tried to call non recursive loop.");
    return recurse.call(args, kwargs);
  }
}

package dev.barista.tokenizer.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluates a parsed template against variables, with Jinja2's scoping and Python's value rules. */
final class Renderer {
  private final Scope root;

  Renderer(Scope root) {
    this.root = root;
  }

  String render(List<Node> body) {
    StringBuilder out = new StringBuilder();
    renderAll(body, root, out);
    return out.toString();
  }

  private void renderAll(List<Node> nodes, Scope scope, StringBuilder out) {
    for (Node n : nodes) renderNode(n, scope, out);
  }

  private void renderNode(Node node, Scope scope, StringBuilder out) {
    switch (node) {
      case Node.Data d -> out.append(d.text());
      case Node.Print p -> out.append(Py.str(eval(p.expr(), scope)));
      case Node.If f -> {
        for (int i = 0; i < f.conditions().size(); i++) {
          if (Ops.truthy(eval(f.conditions().get(i), scope))) {
            renderAll(f.bodies().get(i), scope, out);
            return;
          }
        }
        if (f.orElse() != null) renderAll(f.orElse(), scope, out);
      }
      case Node.For f -> renderFor(f, eval(f.iterable(), scope), scope, out, 1);
      case Node.Set s -> assign(s.targets(), s.namespaceAttr(), eval(s.value(), scope), scope, s.line());
      case Node.SetBlock s -> {
        StringBuilder captured = new StringBuilder();
        renderAll(s.body(), scope, captured);
        Object value = captured.toString();
        for (Node f : s.filters()) value = applyFilter((Node.Filter) f, value, scope);
        assign(List.of(s.target()), s.namespaceAttr(), value, scope, s.line());
      }
      case Node.Macro m -> scope.set(m.name(), macro(m.params(), m.defaults(), m.body(), scope, m.name()));
      case Node.CallBlock c -> {
        if (!(c.call() instanceof Node.Call call)) throw new TemplateException("call block needs a macro call", c.line(), 0);
        JinjaCallable caller = macro(c.params(), c.defaults(), c.body(), scope, "caller");
        out.append(Py.str(call(call, scope, caller)));
      }
      case Node.FilterBlock f -> {
        StringBuilder captured = new StringBuilder();
        renderAll(f.body(), scope, captured);
        Object value = captured.toString();
        for (Node filter : f.filters()) value = applyFilter((Node.Filter) filter, value, scope);
        out.append(Py.str(value));
      }
      case Node.With w -> {
        Scope inner = new Scope(scope);
        for (int i = 0; i < w.names().size(); i++) inner.set(w.names().get(i), eval(w.values().get(i), scope));
        renderAll(w.body(), inner, out);
      }
      case Node.Body b -> renderAll(b.body(), scope, out);
      case Node.Break b -> throw Signals.Break.INSTANCE;
      case Node.Continue c -> throw Signals.Continue.INSTANCE;
      default -> out.append(Py.str(eval(node, scope)));
    }
  }

  private void renderFor(Node.For f, Object iterable, Scope scope, StringBuilder out, int depth) {
    List<Object> items = new ArrayList<>();
    for (Object item : Ops.iterate(iterable)) {
      if (f.filter() != null) {
        Scope probe = new Scope(scope);
        bindTargets(f.targets(), item, probe);
        if (!Ops.truthy(eval(f.filter(), probe))) continue;
      }
      items.add(item);
    }
    JinjaCallable recurse = f.recursive()
        ? (args, kw) -> {
            StringBuilder inner = new StringBuilder();
            renderFor(f, args.getFirst(), scope, inner, depth + 1);
            return inner.toString();
          }
        : null;
    LoopContext loop = new LoopContext(items, depth, recurse);
    for (int i = 0; i < items.size(); i++) {
      loop.index0 = i;
      Scope body = new Scope(scope);
      body.set("loop", loop);
      bindTargets(f.targets(), items.get(i), body);
      try {
        renderAll(f.body(), body, out);
      } catch (Signals.Continue c) {
        // next item
      } catch (Signals.Break b) {
        break;
      }
    }
    if (items.isEmpty() && f.orElse() != null) renderAll(f.orElse(), scope, out);
  }

  private void bindTargets(List<String> targets, Object item, Scope scope) {
    if (targets.size() == 1) {
      scope.set(targets.getFirst(), item);
      return;
    }
    List<Object> parts = Ops.iterate(item);
    if (parts.size() != targets.size()) {
      throw new TemplateException("ValueError: cannot unpack " + parts.size() + " values into " + targets.size() + " names");
    }
    for (int i = 0; i < targets.size(); i++) scope.set(targets.get(i), parts.get(i));
  }

  private void assign(List<String> targets, String namespaceAttr, Object value, Scope scope, int line) {
    if (namespaceAttr != null) {
      Object[] found = new Object[1];
      if (!scope.lookup(targets.getFirst(), found) || !(found[0] instanceof Namespace ns)) {
        throw new TemplateException("TemplateRuntimeError: cannot assign attribute on non-namespace object", line, 0);
      }
      ns.attrs.put(namespaceAttr, value);
      return;
    }
    bindTargets(targets, value, scope);
  }

  private JinjaCallable macro(List<String> params, List<Node> defaults, List<Node> body, Scope defining, String name) {
    return (args, kwargs) -> {
      Scope inner = new Scope(defining);
      Map<String, Object> extra = new LinkedHashMap<>(kwargs);
      for (int i = 0; i < params.size(); i++) {
        String p = params.get(i);
        Object v;
        if (i < args.size()) v = args.get(i);
        else if (extra.containsKey(p)) v = extra.get(p);
        else if (defaults.get(i) != null) v = eval(defaults.get(i), inner);
        else v = new Undefined("parameter '" + p + "' was not provided");
        extra.remove(p);
        inner.set(p, v);
      }
      inner.set("varargs", args.size() > params.size() ? Tuple.of(args.subList(params.size(), args.size())) : new Tuple());
      inner.set("kwargs", extra);
      if (extra.containsKey("caller")) inner.set("caller", extra.remove("caller"));
      StringBuilder out = new StringBuilder();
      renderAll(body, inner, out);
      return out.toString();
    };
  }

  // ---- expressions

  Object eval(Node node, Scope scope) {
    return switch (node) {
      case Node.Const c -> c.value();
      case Node.Name n -> {
        Object[] found = new Object[1];
        yield scope.lookup(n.name(), found) ? found[0] : new Undefined("'" + n.name() + "' is undefined");
      }
      case Node.Attr a -> getAttr(eval(a.target(), scope), a.name());
      case Node.Item i -> getItem(eval(i.target(), scope), eval(i.key(), scope));
      case Node.Slice s -> slice(eval(s.target(), scope), evalOpt(s.start(), scope), evalOpt(s.stop(), scope), evalOpt(s.step(), scope));
      case Node.Call c -> call(c, scope);
      case Node.Filter f -> applyFilter(f, eval(f.target(), scope), scope);
      case Node.Test t -> {
        List<Object> args = new ArrayList<>();
        for (Node a : t.args()) args.add(eval(a, scope));
        boolean result = Tests.apply(t.name(), eval(t.target(), scope), args);
        yield t.negated() != result;
      }
      case Node.Unary u -> switch (u.op()) {
        case "not" -> !Ops.truthy(eval(u.operand(), scope));
        case "-" -> Ops.negate(eval(u.operand(), scope));
        default -> {
          Object v = eval(u.operand(), scope);
          Ops.checkDefined(v);
          yield v;
        }
      };
      case Node.Binary b -> binary(b, scope);
      case Node.Compare c -> compare(c, scope);
      case Node.Conditional c -> Ops.truthy(eval(c.condition(), scope))
          ? eval(c.then(), scope)
          : c.orElse() == null ? new Undefined("the inline if-expression evaluated to false and no else section was defined.") : eval(c.orElse(), scope);
      case Node.ListLiteral l -> {
        List<Object> items = new ArrayList<>();
        for (Node n : l.items()) items.add(eval(n, scope));
        yield l.tuple() ? Tuple.of(items) : items;
      }
      case Node.DictLiteral d -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < d.keys().size(); i++) map.put(eval(d.keys().get(i), scope), eval(d.values().get(i), scope));
        yield map;
      }
      default -> throw new TemplateException("cannot evaluate " + node.getClass().getSimpleName(), node.line(), 0);
    };
  }

  private Object evalOpt(Node n, Scope scope) {
    return n == null ? null : eval(n, scope);
  }

  private Object binary(Node.Binary b, Scope scope) {
    switch (b.op()) {
      case "and" -> {
        Object left = eval(b.left(), scope);
        return Ops.truthy(left) ? eval(b.right(), scope) : left;
      }
      case "or" -> {
        Object left = eval(b.left(), scope);
        return Ops.truthy(left) ? left : eval(b.right(), scope);
      }
      case "~" -> {
        return Py.str(eval(b.left(), scope)) + Py.str(eval(b.right(), scope));
      }
      case "+" -> {
        return Ops.add(eval(b.left(), scope), eval(b.right(), scope));
      }
      default -> {
        return Ops.arithmetic(b.op(), eval(b.left(), scope), eval(b.right(), scope));
      }
    }
  }

  private Object compare(Node.Compare c, Scope scope) {
    Object left = eval(c.first(), scope);
    for (int i = 0; i < c.ops().size(); i++) {
      Object right = eval(c.rest().get(i), scope);
      String op = c.ops().get(i);
      boolean ok = switch (op) {
        case "==" -> Ops.eq(left, right);
        case "!=" -> !Ops.eq(left, right);
        case "<" -> Ops.compare(left, right, op) < 0;
        case ">" -> Ops.compare(left, right, op) > 0;
        case "<=" -> Ops.compare(left, right, op) <= 0;
        case ">=" -> Ops.compare(left, right, op) >= 0;
        case "in" -> Ops.contains(right, left);
        case "not in" -> !Ops.contains(right, left);
        default -> throw new TemplateException("unknown comparison " + op);
      };
      if (!ok) return false;
      left = right;
    }
    return true;
  }

  private Object call(Node.Call c, Scope scope) {
    return call(c, scope, null);
  }

  private Object call(Node.Call c, Scope scope, JinjaCallable caller) {
    Object callee = eval(c.callee(), scope);
    List<Object> args = new ArrayList<>();
    for (Node a : c.args()) args.add(eval(a, scope));
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (int i = 0; i < c.kwNames().size(); i++) kwargs.put(c.kwNames().get(i), eval(c.kwValues().get(i), scope));
    if (caller != null) kwargs.put("caller", caller);
    if (callee instanceof JinjaCallable f) return f.call(args, kwargs);
    if (callee instanceof Undefined u) throw u.error();
    throw new TemplateException("TypeError: '" + Ops.typeName(callee) + "' object is not callable", c.line(), 0);
  }

  private Object applyFilter(Node.Filter f, Object value, Scope scope) {
    List<Object> args = new ArrayList<>();
    for (Node a : f.args()) args.add(eval(a, scope));
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (int i = 0; i < f.kwNames().size(); i++) kwargs.put(f.kwNames().get(i), eval(f.kwValues().get(i), scope));
    return Filters.apply(this, f.name(), value, new Args(args, kwargs));
  }

  Object getAttr(Object target, String name) {
    if (target instanceof Undefined u) throw u.error();
    if (target instanceof Map<?, ?> m) {
      JinjaCallable method = Methods.find(m, name);
      if (method != null) return method;
      if (m.containsKey(name)) return m.get(name);
      return new Undefined("'dict object' has no attribute '" + name + "'");
    }
    if (target instanceof Namespace ns) {
      return ns.attrs.containsKey(name) ? ns.attrs.get(name) : new Undefined("'Namespace' object has no attribute '" + name + "'");
    }
    if (target instanceof LoopContext loop) return loop.attr(name);
    if (target instanceof Tuple t && t.hasField(name)) return t.field(name);
    JinjaCallable method = Methods.find(target, name);
    if (method != null) return method;
    return new Undefined("'" + (target == null ? "None" : Ops.typeName(target) + " object") + "' has no attribute '" + name + "'");
  }

  Object getItem(Object target, Object key) {
    if (target instanceof Undefined u) throw u.error();
    if (target instanceof Map<?, ?> m) {
      if (m.containsKey(key)) return m.get(key);
      for (Map.Entry<?, ?> e : m.entrySet()) if (Ops.eq(e.getKey(), key)) return e.getValue();
      return new Undefined("'dict object' has no attribute " + Py.repr(key));
    }
    if (target instanceof List<?> l && Ops.isInt(key)) {
      long i = Ops.asLong(key);
      if (i < 0) i += l.size();
      return i >= 0 && i < l.size() ? l.get((int) i) : new Undefined(Ops.typeName(target) + " object has no element " + Ops.asLong(key));
    }
    if (target instanceof String s && Ops.isInt(key)) {
      Object c = Strings.index(s, Ops.asLong(key));
      return c instanceof Undefined ? new Undefined("str object has no element " + Ops.asLong(key)) : c;
    }
    if (key instanceof String name) return getAttr(target, name);
    return new Undefined("'" + Ops.typeName(target) + " object' has no attribute " + Py.repr(key));
  }

  /** An attribute path as filters take it ("a.b" or an index). */
  Object getAttrPath(Object target, Object attribute) {
    if (!(attribute instanceof String path)) return getItem(target, attribute);
    Object v = target;
    for (String part : path.split("\\.")) {
      v = part.chars().allMatch(Character::isDigit) && !part.isEmpty() ? getItem(v, Long.parseLong(part)) : getItem(v, part);
    }
    return v;
  }

  private Object slice(Object target, Object start, Object stop, Object step) {
    if (target instanceof Undefined u) throw u.error();
    if (target instanceof String s) return Strings.slice(s, start, stop, step);
    if (target instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (int i : Ops.sliceIndices(l.size(), start, stop, step)) out.add(l.get(i));
      return out;
    }
    throw new TemplateException("TypeError: '" + Ops.typeName(target) + "' object is not subscriptable");
  }
}

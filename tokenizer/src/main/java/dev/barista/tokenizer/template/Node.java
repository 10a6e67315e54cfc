package dev.barista.tokenizer.template;

import java.util.List;

/** The template syntax tree: statements and expressions. */
sealed interface Node {
  int line();

  // statements
  record Data(String text, int line) implements Node {}
  record Print(Node expr, int line) implements Node {}
  record If(List<Node> conditions, List<List<Node>> bodies, List<Node> orElse, int line) implements Node {}
  record For(List<String> targets, Node iterable, Node filter, List<Node> body, List<Node> orElse,
      boolean recursive, int line) implements Node {}
  record Set(List<String> targets, String namespaceAttr, Node value, int line) implements Node {}
  record SetBlock(String target, String namespaceAttr, List<Node> body, List<Node> filters, int line) implements Node {}
  record Macro(String name, List<String> params, List<Node> defaults, List<Node> body, int line) implements Node {}
  record CallBlock(Node call, List<String> params, List<Node> defaults, List<Node> body, int line) implements Node {}
  record FilterBlock(List<Node> filters, List<Node> body, int line) implements Node {}
  record With(List<String> names, List<Node> values, List<Node> body, int line) implements Node {}
  record Break(int line) implements Node {}
  record Continue(int line) implements Node {}
  record Body(List<Node> body, int line) implements Node {}

  // expressions
  record Const(Object value, int line) implements Node {}
  record Name(String name, int line) implements Node {}
  record Attr(Node target, String name, int line) implements Node {}
  record Item(Node target, Node key, int line) implements Node {}
  record Slice(Node target, Node start, Node stop, Node step, int line) implements Node {}
  record Call(Node callee, List<Node> args, List<String> kwNames, List<Node> kwValues, int line) implements Node {}
  record Filter(Node target, String name, List<Node> args, List<String> kwNames, List<Node> kwValues, int line) implements Node {}
  record Test(Node target, String name, List<Node> args, boolean negated, int line) implements Node {}
  record Unary(String op, Node operand, int line) implements Node {}
  record Binary(String op, Node left, Node right, int line) implements Node {}
  record Compare(Node first, List<String> ops, List<Node> rest, int line) implements Node {}
  record Conditional(Node condition, Node then, Node orElse, int line) implements Node {}
  record ListLiteral(List<Node> items, boolean tuple, int line) implements Node {}
  record DictLiteral(List<Node> keys, List<Node> values, int line) implements Node {}
}

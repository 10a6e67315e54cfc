package dev.barista.tokenizer.template;

import dev.barista.tokenizer.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent parser with Jinja2's grammar and operator precedence. */
final class Parser {
  private static final Set<String> COMPARE = Set.of("==", "!=", "<", ">", "<=", ">=");
  private final List<Token> tokens;
  private int pos;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static List<Node> parse(String source) {
    Parser p = new Parser(Lexer.tokenize(source));
    List<Node> body = p.body(Set.of());
    if (p.peek().kind() != Kind.EOF) {
      Token t = p.peek();
      throw p.error("Encountered unknown tag '" + p.peek(1).value() + "'", t);
    }
    return body;
  }

  // ---- token helpers

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private boolean skipOp(String op) {
    if (peek().isOp(op)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean skipName(String name) {
    if (peek().isName(name)) {
      pos++;
      return true;
    }
    return false;
  }

  private Token expectOp(String op) {
    Token t = next();
    if (!t.isOp(op)) throw error("expected '" + op + "', got " + describe(t), t);
    return t;
  }

  private String expectName() {
    Token t = next();
    if (t.kind() != Kind.NAME) throw error("expected a name, got " + describe(t), t);
    return t.value();
  }

  private void expectKind(Kind kind, String what) {
    Token t = next();
    if (t.kind() != kind) throw error("expected " + what + ", got " + describe(t), t);
  }

  private static String describe(Token t) {
    return switch (t.kind()) {
      case EOF -> "end of template";
      case BLOCK_END -> "end of statement block";
      case VAR_END -> "end of print statement";
      default -> "'" + t.value() + "'";
    };
  }

  TemplateException error(String message, Token at) {
    return new TemplateException("TemplateSyntaxError: " + message, at.line(), at.column());
  }

  // ---- statements

  /** Parses nodes until EOF or a block tag whose keyword is in {@code ends} (left unconsumed). */
  private List<Node> body(Set<String> ends) {
    List<Node> nodes = new ArrayList<>();
    while (true) {
      Token t = peek();
      switch (t.kind()) {
        case EOF -> {
          if (!ends.isEmpty()) throw error("unexpected end of template; expected " + String.join(" or ", ends), t);
          return nodes;
        }
        case DATA -> {
          next();
          nodes.add(new Node.Data(t.value(), t.line()));
        }
        case VAR_BEGIN -> {
          next();
          nodes.add(new Node.Print(tuple(true), t.line()));
          expectKind(Kind.VAR_END, "'}}'");
        }
        case BLOCK_BEGIN -> {
          Token keyword = peek(1);
          if (keyword.kind() == Kind.NAME && ends.contains(keyword.value())) return nodes;
          next();
          nodes.add(statement());
        }
        default -> throw error("unexpected " + describe(t), t);
      }
    }
  }

  private void endTag() {
    expectKind(Kind.BLOCK_END, "'%}'");
  }

  /** Consumes "{% name" of a closing or middle tag. */
  private void tagKeyword(String name) {
    expectKind(Kind.BLOCK_BEGIN, "'{%'");
    Token t = next();
    if (!t.isName(name)) throw error("expected '" + name + "'", t);
  }

  private Node statement() {
    Token t = next();
    if (t.kind() != Kind.NAME) throw error("tag name expected", t);
    int line = t.line();
    return switch (t.value()) {
      case "if" -> ifStatement(line);
      case "for" -> forStatement(line);
      case "set" -> setStatement(line);
      case "macro" -> macro(line);
      case "call" -> callBlock(line);
      case "filter" -> filterBlock(line);
      case "with" -> withBlock(line);
      case "generation" -> wrapped("endgeneration", line);
      case "break" -> {
        endTag();
        yield new Node.Break(line);
      }
      case "continue" -> {
        endTag();
        yield new Node.Continue(line);
      }
      default -> throw error("Encountered unknown tag '" + t.value() + "'", t);
    };
  }

  private Node wrapped(String end, int line) {
    endTag();
    List<Node> body = body(Set.of(end));
    tagKeyword(end);
    endTag();
    return new Node.Body(body, line);
  }

  private Node ifStatement(int line) {
    List<Node> conditions = new ArrayList<>();
    List<List<Node>> bodies = new ArrayList<>();
    List<Node> orElse = null;
    conditions.add(tuple(false));
    endTag();
    while (true) {
      bodies.add(body(Set.of("elif", "else", "endif")));
      expectKind(Kind.BLOCK_BEGIN, "'{%'");
      String kw = next().value();
      if (kw.equals("elif")) {
        conditions.add(tuple(false));
        endTag();
      } else if (kw.equals("else")) {
        endTag();
        orElse = body(Set.of("endif"));
        tagKeyword("endif");
        endTag();
        break;
      } else {
        endTag();
        break;
      }
    }
    return new Node.If(conditions, bodies, orElse, line);
  }

  private Node forStatement(int line) {
    List<String> targets = assignTargets();
    Token in = next();
    if (!in.isName("in")) throw error("expected 'in', got " + describe(in), in);
    Node iterable = tuple(false);
    Node filter = skipName("if") ? expression(true) : null;
    boolean recursive = skipName("recursive");
    endTag();
    List<Node> body = body(Set.of("endfor", "else"));
    List<Node> orElse = null;
    expectKind(Kind.BLOCK_BEGIN, "'{%'");
    if (next().value().equals("else")) {
      endTag();
      orElse = body(Set.of("endfor"));
      tagKeyword("endfor");
    }
    endTag();
    return new Node.For(targets, iterable, filter, body, orElse, recursive, line);
  }

  private List<String> assignTargets() {
    List<String> names = new ArrayList<>();
    boolean paren = skipOp("(");
    do {
      if (paren && peek().isOp(")")) break;
      names.add(expectName());
    } while (skipOp(","));
    if (paren) expectOp(")");
    return names;
  }

  private Node setStatement(int line) {
    String namespaceAttr = null;
    List<String> targets;
    if (peek().kind() == Kind.NAME && peek(1).isOp(".")) {
      targets = List.of(expectName());
      next();
      namespaceAttr = expectName();
    } else {
      targets = assignTargets();
    }
    if (skipOp("=")) {
      Node value = tuple(true);
      endTag();
      return new Node.Set(targets, namespaceAttr, value, line);
    }
    List<Node> filters = new ArrayList<>();
    while (skipOp("|")) filters.add(filter(null));
    endTag();
    List<Node> body = body(Set.of("endset"));
    tagKeyword("endset");
    endTag();
    return new Node.SetBlock(targets.getFirst(), namespaceAttr, body, filters, line);
  }

  private Node macro(int line) {
    String name = expectName();
    List<String> params = new ArrayList<>();
    List<Node> defaults = new ArrayList<>();
    signature(params, defaults);
    endTag();
    List<Node> body = body(Set.of("endmacro"));
    tagKeyword("endmacro");
    if (peek().kind() == Kind.NAME) next();
    endTag();
    return new Node.Macro(name, params, defaults, body, line);
  }

  private void signature(List<String> params, List<Node> defaults) {
    expectOp("(");
    while (!peek().isOp(")")) {
      if (!params.isEmpty()) expectOp(",");
      if (peek().isOp(")")) break;
      params.add(expectName());
      defaults.add(skipOp("=") ? expression(true) : null);
    }
    expectOp(")");
  }

  private Node callBlock(int line) {
    List<String> params = new ArrayList<>();
    List<Node> defaults = new ArrayList<>();
    if (peek().isOp("(")) signature(params, defaults);
    Node call = expression(true);
    endTag();
    List<Node> body = body(Set.of("endcall"));
    tagKeyword("endcall");
    endTag();
    return new Node.CallBlock(call, params, defaults, body, line);
  }

  private Node filterBlock(int line) {
    List<Node> filters = new ArrayList<>();
    do {
      filters.add(filter(null));
    } while (skipOp("|"));
    endTag();
    List<Node> body = body(Set.of("endfilter"));
    tagKeyword("endfilter");
    endTag();
    return new Node.FilterBlock(filters, body, line);
  }

  private Node withBlock(int line) {
    List<String> names = new ArrayList<>();
    List<Node> values = new ArrayList<>();
    while (peek().kind() != Kind.BLOCK_END) {
      if (!names.isEmpty()) expectOp(",");
      names.add(expectName());
      expectOp("=");
      values.add(expression(true));
    }
    endTag();
    List<Node> body = body(Set.of("endwith"));
    tagKeyword("endwith");
    endTag();
    return new Node.With(names, values, body, line);
  }

  // ---- expressions

  /** An expression, or a tuple when commas follow (as in {{ a, b }} or {% set x = 1, 2 %}). */
  private Node tuple(boolean withCondition) {
    int line = peek().line();
    Node first = expression(withCondition);
    if (!peek().isOp(",")) return first;
    List<Node> items = new ArrayList<>(List.of(first));
    while (skipOp(",")) {
      if (atExpressionEnd()) break;
      items.add(expression(withCondition));
    }
    return new Node.ListLiteral(items, true, line);
  }

  private boolean atExpressionEnd() {
    Token t = peek();
    return t.kind() == Kind.BLOCK_END || t.kind() == Kind.VAR_END || t.isOp(")") || t.isOp("]")
        || t.isOp("}") || t.isName("if") || t.isName("recursive");
  }

  private Node expression(boolean withCondition) {
    return withCondition ? conditional() : or();
  }

  private Node conditional() {
    Node expr = or();
    while (peek().isName("if")) {
      int line = next().line();
      Node cond = or();
      Node orElse = skipName("else") ? conditional() : null;
      expr = new Node.Conditional(cond, expr, orElse, line);
    }
    return expr;
  }

  private Node or() {
    Node left = and();
    while (peek().isName("or")) {
      int line = next().line();
      left = new Node.Binary("or", left, and(), line);
    }
    return left;
  }

  private Node and() {
    Node left = not();
    while (peek().isName("and")) {
      int line = next().line();
      left = new Node.Binary("and", left, not(), line);
    }
    return left;
  }

  private Node not() {
    if (peek().isName("not")) {
      int line = next().line();
      return new Node.Unary("not", not(), line);
    }
    return compare();
  }

  private Node compare() {
    int line = peek().line();
    Node first = math1();
    List<String> ops = new ArrayList<>();
    List<Node> rest = new ArrayList<>();
    while (true) {
      Token t = peek();
      if (t.kind() == Kind.OPERATOR && COMPARE.contains(t.value())) {
        next();
        ops.add(t.value());
      } else if (t.isName("in")) {
        next();
        ops.add("in");
      } else if (t.isName("not") && peek(1).isName("in")) {
        pos += 2;
        ops.add("not in");
      } else {
        break;
      }
      rest.add(math1());
    }
    return ops.isEmpty() ? first : new Node.Compare(first, ops, rest, line);
  }

  private Node math1() {
    Node left = concat();
    while (peek().isOp("+") || peek().isOp("-")) {
      Token op = next();
      left = new Node.Binary(op.value(), left, concat(), op.line());
    }
    return left;
  }

  private Node concat() {
    Node left = math2();
    while (peek().isOp("~")) {
      Token op = next();
      left = new Node.Binary("~", left, math2(), op.line());
    }
    return left;
  }

  private Node math2() {
    Node left = pow();
    while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
      Token op = next();
      left = new Node.Binary(op.value(), left, pow(), op.line());
    }
    return left;
  }

  private Node pow() {
    Node left = unary(true);
    while (peek().isOp("**")) {
      Token op = next();
      left = new Node.Binary("**", left, unary(true), op.line());
    }
    return left;
  }

  private Node unary(boolean withFilter) {
    Token t = peek();
    Node node;
    if (t.isOp("-") || t.isOp("+")) {
      next();
      node = new Node.Unary(t.value(), unary(false), t.line());
    } else {
      node = primary();
    }
    node = postfix(node);
    return withFilter ? filterExpression(node) : node;
  }

  private Node primary() {
    Token t = next();
    int line = t.line();
    switch (t.kind()) {
      case NAME -> {
        return switch (t.value()) {
          case "true", "True" -> new Node.Const(Boolean.TRUE, line);
          case "false", "False" -> new Node.Const(Boolean.FALSE, line);
          case "none", "None" -> new Node.Const(null, line);
          default -> new Node.Name(t.value(), line);
        };
      }
      case STRING -> {
        StringBuilder sb = new StringBuilder(t.value());
        while (peek().kind() == Kind.STRING) sb.append(next().value());
        return new Node.Const(sb.toString(), line);
      }
      case INTEGER -> {
        return new Node.Const(Long.parseLong(t.value()), line);
      }
      case FLOAT -> {
        return new Node.Const(Double.parseDouble(t.value()), line);
      }
      case OPERATOR -> {
        switch (t.value()) {
          case "(" -> {
            if (skipOp(")")) return new Node.ListLiteral(List.of(), true, line);
            Node inner = tuple(true);
            expectOp(")");
            return inner;
          }
          case "[" -> {
            List<Node> items = new ArrayList<>();
            while (!peek().isOp("]")) {
              if (!items.isEmpty()) expectOp(",");
              if (peek().isOp("]")) break;
              items.add(expression(true));
            }
            expectOp("]");
            return new Node.ListLiteral(items, false, line);
          }
          case "{" -> {
            List<Node> keys = new ArrayList<>();
            List<Node> values = new ArrayList<>();
            while (!peek().isOp("}")) {
              if (!keys.isEmpty()) expectOp(",");
              if (peek().isOp("}")) break;
              keys.add(expression(true));
              expectOp(":");
              values.add(expression(true));
            }
            expectOp("}");
            return new Node.DictLiteral(keys, values, line);
          }
          default -> { }
        }
      }
      default -> { }
    }
    throw error("unexpected " + describe(t), t);
  }

  private Node postfix(Node node) {
    while (true) {
      Token t = peek();
      if (t.isOp(".")) {
        next();
        Token name = next();
        if (name.kind() == Kind.NAME) node = new Node.Attr(node, name.value(), name.line());
        else if (name.kind() == Kind.INTEGER) node = new Node.Item(node, new Node.Const(Long.parseLong(name.value()), name.line()), name.line());
        else throw error("expected an attribute name after '.'", name);
      } else if (t.isOp("[")) {
        next();
        node = subscript(node, t.line());
      } else if (t.isOp("(")) {
        node = call(node);
      } else {
        return node;
      }
    }
  }

  private Node subscript(Node target, int line) {
    Node start = null;
    Node stop = null;
    Node step = null;
    boolean slice = false;
    if (!peek().isOp(":")) start = expression(true);
    if (skipOp(":")) {
      slice = true;
      if (!peek().isOp("]") && !peek().isOp(":")) stop = expression(true);
      if (skipOp(":") && !peek().isOp("]")) step = expression(true);
    }
    expectOp("]");
    return slice ? new Node.Slice(target, start, stop, step, line) : new Node.Item(target, start, line);
  }

  private Node call(Node callee) {
    int line = expectOp("(").line();
    List<Node> args = new ArrayList<>();
    List<String> kwNames = new ArrayList<>();
    List<Node> kwValues = new ArrayList<>();
    callArguments(args, kwNames, kwValues);
    return new Node.Call(callee, args, kwNames, kwValues, line);
  }

  /** Reads "a, b, key=value)" after an opening parenthesis. */
  private void callArguments(List<Node> args, List<String> kwNames, List<Node> kwValues) {
    boolean first = true;
    while (!peek().isOp(")")) {
      if (!first) expectOp(",");
      first = false;
      if (peek().isOp(")")) break;
      if (peek().kind() == Kind.NAME && peek(1).isOp("=")) {
        kwNames.add(next().value());
        next();
        kwValues.add(expression(true));
      } else {
        if (!kwNames.isEmpty()) throw error("positional argument after keyword argument", peek());
        args.add(expression(true));
      }
    }
    expectOp(")");
  }

  private Node filterExpression(Node node) {
    while (true) {
      Token t = peek();
      if (t.isOp("|")) {
        next();
        node = filter(node);
      } else if (t.isName("is")) {
        next();
        node = test(node);
      } else if (t.isOp("(")) {
        node = call(node);
      } else {
        return node;
      }
    }
  }

  private Node filter(Node target) {
    Token nameToken = peek();
    StringBuilder name = new StringBuilder(expectName());
    while (peek().isOp(".")) {
      next();
      name.append('.').append(expectName());
    }
    List<Node> args = new ArrayList<>();
    List<String> kwNames = new ArrayList<>();
    List<Node> kwValues = new ArrayList<>();
    if (!Filters.NAMES.contains(name.toString())) throw error("No filter named '" + name + "'.", nameToken);
    if (skipOp("(")) callArguments(args, kwNames, kwValues);
    return new Node.Filter(target, name.toString(), args, kwNames, kwValues, nameToken.line());
  }

  private Node test(Node target) {
    boolean negated = skipName("not");
    Token nameToken = peek();
    String name = expectName();
    if (!Tests.NAMES.contains(name)) throw error("No test named '" + name + "'.", nameToken);
    List<Node> args = new ArrayList<>();
    Token t = peek();
    if (t.isOp("(")) {
      next();
      List<String> kwNames = new ArrayList<>();
      List<Node> kwValues = new ArrayList<>();
      callArguments(args, kwNames, kwValues);
    } else if ((t.kind() == Kind.NAME && !Set.of("else", "or", "and", "if", "is", "in", "not").contains(t.value()))
        || t.kind() == Kind.STRING || t.kind() == Kind.INTEGER || t.kind() == Kind.FLOAT
        || t.isOp("[") || t.isOp("{")) {
      args.add(postfix(primary()));
    }
    return new Node.Test(target, name, args, negated, nameToken.line());
  }
}

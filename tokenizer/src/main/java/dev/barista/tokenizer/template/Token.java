package dev.barista.tokenizer.template;

/** A lexical token of a template: text data, tag delimiters, or a piece of an expression. */
record Token(Kind kind, String value, int line, int column) {
  enum Kind { DATA, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

  boolean is(Kind k, String v) {
    return kind == k && value.equals(v);
  }

  boolean isOp(String v) {
    return is(Kind.OPERATOR, v);
  }

  boolean isName(String v) {
    return is(Kind.NAME, v);
  }
}

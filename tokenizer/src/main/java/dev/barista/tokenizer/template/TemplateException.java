package dev.barista.tokenizer.template;

import dev.barista.tokenizer.TokenizerException;

/** A chat template that cannot be compiled or rendered; syntax errors carry line and column. */
public class TemplateException extends TokenizerException {
  private final int line;
  private final int column;

  public TemplateException(String message, int line, int column) {
    super(line > 0 ? message + " (template line " + line + ", column " + column + ")" : message);
    this.line = line;
    this.column = column;
  }

  public TemplateException(String message) {
    this(message, 0, 0);
  }

  /** 1-based line of the error, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** 1-based column of the error, or 0 when unknown. */
  public int column() {
    return column;
  }
}

package dev.barista.tokenizer.template;

/** Jinja's default Undefined: prints as '', is falsy and iterates as empty; using it otherwise fails. */
final class Undefined {
  final String hint;

  Undefined(String hint) {
    this.hint = hint;
  }

  TemplateException error() {
    return new TemplateException("UndefinedError: " + hint);
  }
}

package dev.barista.tokenizer.template;

/** {% break %} and {% continue %} unwind to their loop as these stackless throwables. */
final class Signals {
  private Signals() {}

  static final class Break extends RuntimeException {
    static final Break INSTANCE = new Break();

    private Break() {
      super(null, null, false, false);
    }
  }

  static final class Continue extends RuntimeException {
    static final Continue INSTANCE = new Continue();

    private Continue() {
      super(null, null, false, false);
    }
  }
}

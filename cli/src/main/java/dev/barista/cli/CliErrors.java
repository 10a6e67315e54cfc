package dev.barista.cli;

/** Turns an exception into the one line the CLI prints. */
final class CliErrors {
  private CliErrors() {}

  static String message(Throwable ex) {
    Throwable t = ex;
    while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
    String msg = t.getMessage();
    return msg == null ? t.getClass().getSimpleName() : msg.replace('\n', ' ');
  }
}

package dev.barista.cuda.kernels;

/** A kernel switch given as a system property: unset, blank or {@code true} is on, {@code false} off, anything else a clear error. */
final class BooleanProperty {
  private BooleanProperty() {}

  static boolean on(String property) {
    return parse(property, System.getProperty(property));
  }

  static boolean parse(String property, String value) {
    if (value == null || value.isBlank() || value.equals("true")) return true;
    if (value.equals("false")) return false;
    throw new IllegalArgumentException("-D" + property + " takes true or false, not '" + value + "'");
  }
}

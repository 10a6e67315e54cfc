package dev.barista.apps.runtime;

/** The named app is not deployed. */
public final class NoSuchAppException extends IllegalArgumentException {
  public NoSuchAppException(String name) {
    super("no app named '" + name + "' (see: barista apps list)");
  }
}

package dev.barista.apps.state;

/** The apps database could not be read or written. */
public final class StateException extends RuntimeException {
  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}

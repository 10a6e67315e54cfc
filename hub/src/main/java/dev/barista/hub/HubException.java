package dev.barista.hub;

/** Something went wrong getting a model from the hub; the message names the repo or file. */
public class HubException extends RuntimeException {
  public HubException(String message) {
    super(message);
  }

  public HubException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.barista.hub;

/** A downloaded file does not match the size or checksum the hub gave for it. */
public final class IntegrityException extends HubException {
  public IntegrityException(String message) {
    super(message);
  }
}

package dev.barista.hub.safetensors;

/** A safetensors file whose header is malformed; the message names the file. */
public final class SafetensorsFormatException extends RuntimeException {
  public SafetensorsFormatException(String message) {
    super(message);
  }
}

package dev.barista.engine.api;

/** A request or engine parameter is out of range; {@link #field()} names it (vLLM's snake_case). */
public class InvalidParameterException extends IllegalArgumentException {
  private final String field;

  public InvalidParameterException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}

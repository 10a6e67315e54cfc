package dev.barista.tokenizer;

/** A tokenizer file, configuration or input that cannot be used; the message names the field or file. */
public class TokenizerException extends RuntimeException {
  public TokenizerException(String message) {
    super(message);
  }

  public TokenizerException(String message, Throwable cause) {
    super(message, cause);
  }
}

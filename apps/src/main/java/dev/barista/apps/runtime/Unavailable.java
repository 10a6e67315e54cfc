package dev.barista.apps.runtime;

/** No replica can take the request now: the gateway answers 503 with Retry-After. */
public final class Unavailable extends Exception {
  private final int retryAfterSeconds;

  public Unavailable(String message, int retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

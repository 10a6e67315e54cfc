package dev.barista.server.bench;

import java.util.List;

/**
 * What one benchmark request measured, in nanoseconds from its start.
 *
 * @param error null on success
 * @param ttftNanos time to the first generated text
 * @param itlNanos gaps between successive streamed chunks after the first
 * @param latencyNanos time to the last byte
 */
public record RequestTiming(String error, int promptTokens, int outputTokens, long ttftNanos,
    List<Long> itlNanos, long latencyNanos) {

  public static RequestTiming failed(String error) {
    return new RequestTiming(error, 0, 0, 0, List.of(), 0);
  }

  public boolean ok() {
    return error == null;
  }
}

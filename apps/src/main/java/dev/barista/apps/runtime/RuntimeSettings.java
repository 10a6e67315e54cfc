package dev.barista.apps.runtime;

import java.time.Duration;

/**
 * Knobs of the local runtime that are not part of an app's declaration.
 *
 * @param queueCapacity requests per app that may wait for a replica before 503
 * @param tick how often each app's replica count is reconciled
 * @param drainGrace how long a stopping replica gets after SIGTERM before SIGKILL
 */
public record RuntimeSettings(int queueCapacity, Duration tick, Duration drainGrace, int maxRetries) {
  public static final RuntimeSettings DEFAULT = new RuntimeSettings(100, Duration.ofMillis(200), Duration.ofSeconds(10), 3);
}

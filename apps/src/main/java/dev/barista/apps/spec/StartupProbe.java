package dev.barista.apps.spec;

import java.time.Duration;

/**
 * GET {@code path} until it answers 2xx; a replica that has not after {@code failureThreshold}
 * periods fails (the default allows 5 minutes, enough for an engine loading a large model).
 */
public record StartupProbe(String path, Duration period, int failureThreshold) {
  public static final StartupProbe DEFAULT = new StartupProbe("/health", Duration.ofSeconds(3), 100);

  public StartupProbe {
    if (path == null) path = DEFAULT.path;
    if (!path.startsWith("/")) throw new AppValidationException("startup_probe.path", "must start with '/'");
    if (period == null) period = DEFAULT.period;
    if (period.isZero() || period.isNegative())
      throw new AppValidationException("startup_probe.period", "must be positive");
    if (failureThreshold < 1)
      throw new AppValidationException("startup_probe.failure_threshold", "must be at least 1");
  }

  public StartupProbe withPath(String p) {
    return new StartupProbe(p, period, failureThreshold);
  }
}

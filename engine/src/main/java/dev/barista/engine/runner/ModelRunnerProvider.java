package dev.barista.engine.runner;

/**
 * A backend that can build {@link ModelRunner}s, found with {@link java.util.ServiceLoader}
 * (register it in {@code META-INF/services/dev.barista.engine.runner.ModelRunnerProvider}). The
 * engine ships the "cpu" provider; the cuda module adds "cuda" without the engine depending on it.
 */
public interface ModelRunnerProvider {

  /** The --device name this provider answers to, e.g. "cpu" or "cuda". */
  String device();

  /** Whether this machine can run it (e.g. a GPU and its driver are present). */
  boolean isAvailable();

  /** One line saying why {@link #isAvailable()} is false. */
  String unavailableReason();

  /** Preference for --device auto: the highest available wins. */
  int autoPriority();

  ModelRunner create(RunnerOptions options);

  /**
   * Whether this backend computes the model of {@code config} (--device auto passes over those
   * that do not, e.g. the GPU for mixtures of experts).
   */
  default boolean supports(dev.barista.engine.config.ModelConfig config) {
    return true;
  }
}

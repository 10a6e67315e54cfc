package dev.barista.engine.core;

import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.ModelRunnerProvider;
import dev.barista.engine.runner.RunnerOptions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** Picks the backend for --device cpu|cuda|auto among the providers on the class path. */
public final class ModelRunners {
  private ModelRunners() {}

  public static ModelRunner create(String device, RunnerOptions options) {
    ModelConfig config = device.equals("auto") && Files.isRegularFile(options.modelDir().resolve("config.json"))
        ? ModelConfig.load(options.modelDir()) : null;
    return select(device, providers(), config).create(options);
  }

  static ModelRunnerProvider select(String device, List<ModelRunnerProvider> providers) {
    return select(device, providers, null);
  }

  /** As above; for auto, only providers that compute {@code config}'s model (null: any). */
  static ModelRunnerProvider select(String device, List<ModelRunnerProvider> providers, ModelConfig config) {
    if (device.equals("auto")) {
      return providers.stream()
          .filter(ModelRunnerProvider::isAvailable)
          .filter(p -> config == null || p.supports(config))
          .max(Comparator.comparingInt(ModelRunnerProvider::autoPriority))
          .orElseThrow(() -> new InvalidParameterException("device", "no device is available"));
    }
    for (ModelRunnerProvider p : providers) {
      if (!p.device().equals(device)) continue;
      if (!p.isAvailable()) {
        throw new InvalidParameterException("device",
            "--device " + device + " is not available: " + p.unavailableReason());
      }
      return p;
    }
    List<String> known = new ArrayList<>();
    for (ModelRunnerProvider p : providers) known.add(p.device());
    throw new InvalidParameterException("device", "--device " + device
        + " is not supported by this build (known: auto, " + String.join(", ", known) + ")");
  }

  static List<ModelRunnerProvider> providers() {
    List<ModelRunnerProvider> out = new ArrayList<>();
    ServiceLoader.load(ModelRunnerProvider.class).forEach(out::add);
    return out;
  }
}

package dev.barista.apps.engine;

import dev.barista.apps.spec.AppSpec;

/** An app serving a model with Barista: {@code barista serve MODEL --served-model-name ID --port PORT [extra]}. */
public record BaristaApp(AppSpec spec, EngineSettings engine) implements EngineApp {
  public BaristaApp {
    EngineApp.validate(Engine.BARISTA, spec, engine);
  }

  public static EngineApp.Builder<BaristaApp> builder(String name) {
    return new EngineApp.Builder<>(name, Engine.BARISTA, BaristaApp::new);
  }

  @Override
  public Engine kind() {
    return Engine.BARISTA;
  }
}

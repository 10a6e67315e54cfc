package dev.barista.apps.engine;

import dev.barista.apps.spec.AppSpec;

/** An app serving a model with vLLM: {@code vllm serve MODEL --served-model-name ID --port PORT [extra]}. */
public record VllmApp(AppSpec spec, EngineSettings engine) implements EngineApp {
  public VllmApp {
    EngineApp.validate(Engine.VLLM, spec, engine);
  }

  public static EngineApp.Builder<VllmApp> builder(String name) {
    return new EngineApp.Builder<>(name, Engine.VLLM, VllmApp::new);
  }

  @Override
  public Engine kind() {
    return Engine.VLLM;
  }
}

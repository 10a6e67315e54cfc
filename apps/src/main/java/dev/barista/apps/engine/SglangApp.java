package dev.barista.apps.engine;

import dev.barista.apps.spec.AppSpec;

/** An app serving a model with SGLang: {@code python -m sglang.launch_server --model-path MODEL ...}. */
public record SglangApp(AppSpec spec, EngineSettings engine) implements EngineApp {
  public SglangApp {
    EngineApp.validate(Engine.SGLANG, spec, engine);
  }

  public static EngineApp.Builder<SglangApp> builder(String name) {
    return new EngineApp.Builder<>(name, Engine.SGLANG, SglangApp::new);
  }

  @Override
  public Engine kind() {
    return Engine.SGLANG;
  }
}

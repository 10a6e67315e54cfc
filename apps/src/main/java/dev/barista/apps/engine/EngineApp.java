package dev.barista.apps.engine;

import dev.barista.apps.spec.AppDeclaration;
import dev.barista.apps.spec.AppSpec;
import dev.barista.apps.spec.AppValidationException;
import dev.barista.apps.spec.LaunchPlan;
import dev.barista.apps.spec.ModelDownload;
import dev.barista.apps.spec.SecretResolver;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/** What vLLM, SGLang and Barista apps share: common fields plus {@link EngineSettings}. */
public sealed interface EngineApp extends AppDeclaration permits VllmApp, SglangApp, BaristaApp {
  EngineSettings engine();

  @Override
  default dev.barista.apps.spec.LaunchPlan launchPlan(int replicaPort, dev.barista.apps.spec.SecretResolver secrets) {
    return plan(this, replicaPort, secrets);
  }

  @Override
  default java.util.List<String> servedModels() {
    return java.util.List.of(engine().modelId());
  }

  Engine kind();

  /** The full command line for a replica on {@code port}. */
  default List<String> commandLine(int port) {
    return EngineCommand.build(kind(), engine(), port, spec().resources().gpuCount());
  }

  /** Checks everything the command line depends on, so a bad app fails when declared, not when run. */
  static void validate(Engine kind, AppSpec spec, EngineSettings engine) {
    if (spec == null || engine == null) throw new AppValidationException("", "an engine app needs its fields and a model");
    if (!spec.command().isEmpty() || !spec.args().isEmpty())
      throw new AppValidationException("command", "engine apps generate their command; use extra_args instead");
    EngineCommand.build(kind, engine, spec.port(), spec.resources().gpuCount());
  }

  /** The tensor-parallel size the replica runs with (from extra_args; 1 by default). */
  default int tensorParallelSize() {
    return EngineCommand.tensorParallelSize(kind(), engine().extraArgs());
  }

  /**
   * Barista reads s3:// itself (downloading, or streaming with stream_model); vLLM streams s3:// with
   * its runai_streamer; otherwise the runtime downloads the store and passes the local folder.
   */
  static LaunchPlan plan(EngineApp app, int port, SecretResolver secrets) {
    EngineSettings e = app.engine();
    boolean download = e.model().inStore() && app.kind() != Engine.BARISTA && !e.streamModel();
    ModelDownload fetch = download ? new ModelDownload(e.model().argument(), app.kind().modelIndex(), app.tensorParallelSize()) : null;
    return new LaunchPlan(app.commandLine(port), app.spec().environment(secrets, port), app.spec().startupProbe(), fetch);
  }

  /** Builds an engine app: model fields here, common fields through {@link #app}. */
  final class Builder<T extends EngineApp> {
    private final AppSpec.Builder app;
    private final BiFunction<AppSpec, EngineSettings, T> make;
    private String hfPath, localPath, modelId;
    private boolean streamModel;
    private List<String> extraArgs = List.of();

    Builder(String name, Engine kind, BiFunction<AppSpec, EngineSettings, T> make) {
      this.app = AppSpec.builder(name);
      this.make = make;
    }

    public Builder<T> modelHfPath(String v) { hfPath = v; return this; }
    public Builder<T> modelPath(String v) { localPath = v; return this; }
    public Builder<T> modelId(String v) { modelId = v; return this; }
    public Builder<T> streamModel(boolean v) { streamModel = v; return this; }
    public Builder<T> extraArgs(List<String> v) { extraArgs = List.copyOf(v); return this; }
    public Builder<T> extraArgs(String v) { extraArgs = EngineSettings.splitExtraArgs(v); return this; }
    public Builder<T> app(Consumer<AppSpec.Builder> changes) { changes.accept(app); return this; }

    public T build() {
      ModelSource model = hfPath == null && localPath == null ? null : new ModelSource(hfPath, localPath);
      return make.apply(app.build(), new EngineSettings(model, modelId, streamModel, extraArgs));
    }
  }
}

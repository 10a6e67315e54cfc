package dev.barista.engine.core;

import dev.barista.engine.model.LoadFormat;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.ModelRunnerProvider;
import dev.barista.engine.runner.RunnerOptions;
import dev.barista.engine.weights.DType;

/** The CPU backend (jdk.incubator.vector kernels), always available. */
public final class CpuRunnerProvider implements ModelRunnerProvider {

  @Override
  public String device() {
    return "cpu";
  }

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public String unavailableReason() {
    return "";
  }

  @Override
  public int autoPriority() {
    return 0;
  }

  @Override
  public ModelRunner create(RunnerOptions options) {
    DType dtype = options.dtype().equals("auto") ? null
        : DType.fromTorchName(options.dtype(), "--dtype");
    return ModelLoader.load(options.modelDir(),
        new LoadOptions(LoadFormat.parse(options.loadFormat()), dtype, options.seed()));
  }
}

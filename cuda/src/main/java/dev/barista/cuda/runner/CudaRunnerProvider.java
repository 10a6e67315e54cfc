package dev.barista.cuda.runner;

import dev.barista.cuda.driver.CudaDriver;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.model.LoadFormat;
import dev.barista.engine.model.LoadOptions;
import dev.barista.engine.model.LoadedModel;
import dev.barista.engine.model.ModelLoader;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.ModelRunnerProvider;
import dev.barista.engine.runner.RunnerOptions;
import dev.barista.engine.weights.DType;

/** {@code --device cuda}: found by the engine through ServiceLoader; preferred by --device auto. */
public final class CudaRunnerProvider implements ModelRunnerProvider {
  /** Longest context a decode step may have and still replay a CUDA graph. */
  static final int GRAPH_CONTEXT = 8192;

  @Override
  public String device() {
    return "cuda";
  }

  @Override
  public boolean isAvailable() {
    return CudaDriver.isAvailable();
  }

  @Override
  public String unavailableReason() {
    String r = CudaDriver.unavailableReason();
    return r == null ? "" : r;
  }

  @Override
  public int autoPriority() {
    return 100;
  }

  @Override
  public ModelRunner create(RunnerOptions o) {
    String dtype = o.dtype() == null ? "auto" : o.dtype().toLowerCase(java.util.Locale.ROOT);
    if (!dtype.equals("auto") && !dtype.equals("bfloat16") && !dtype.equals("bf16")) {
      throw new InvalidParameterException("dtype",
          "the CUDA runner computes in bfloat16: use --dtype auto or bfloat16, got " + o.dtype());
    }
    LoadFormat format = LoadFormat.parse(o.loadFormat());
    LoadedModel model = ModelLoader.loadModel(o.modelDir(), new LoadOptions(format, DType.BF16, o.seed()));
    try {
      return new CudaModelRunner(model, o.maxNumBatchedTokens(), o.maxNumSeqs(), Math.min(o.maxModelLen(), GRAPH_CONTEXT));
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}

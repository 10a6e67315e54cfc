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

  /**
   * Every model the engine runs, but mixtures of experts beyond the expert kernels' bounds
   * (ExpertKernels) and the computations the kernels do not have yet (see {@link #declined}):
   * --device auto takes the CPU for those.
   */
  @Override
  public boolean supports(dev.barista.engine.config.ModelConfig config) {
    return declined(config) == null;
  }

  /** Why the CUDA runner does not take {@code config}'s model, or null where it does. */
  static String declined(dev.barista.engine.config.ModelConfig config) {
    String missing = missingKernel(config);
    if (missing != null) return "the CUDA runner has no kernel for " + missing + " yet; use --device cpu";
    if (config.moe() == null) return null;
    String unsupported = dev.barista.cuda.kernels.ExpertKernels.unsupported(config.moe().experts(), config.moe().topK());
    return unsupported == null ? null : "the CUDA runner's expert kernels do not take " + unsupported + "; use --device cpu";
  }

  /**
   * The computation of {@code config}'s model that the kernels lack, or null: an activation
   * activation.cuh does not have.
   */
  private static String missingKernel(dev.barista.engine.config.ModelConfig config) {
    if (!dev.barista.cuda.kernels.Kernels.ACTIVATIONS.contains(config.activation())) {
      return "the " + config.activation() + " activation";
    }
    return null;
  }

  /**
   * The runner's math for a --dtype value: bf16 for auto/bfloat16, f32 for float32 (the f32 math
   * mode); float16 has no kernels and is refused naming the field.
   */
  static boolean f32Math(String dtype) {
    String v = dtype == null ? "auto" : dtype.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "auto", "bfloat16", "bf16" -> false;
      case "float32", "float", "fp32", "f32" -> true;
      default -> throw new InvalidParameterException("dtype",
          "the CUDA runner computes in bfloat16 or float32: use --dtype auto, bfloat16 or float32, got " + dtype);
    };
  }

  @Override
  public ModelRunner create(RunnerOptions o) {
    boolean f32 = f32Math(o.dtype());
    LoadFormat format = LoadFormat.parse(o.loadFormat());
    LoadedModel model = ModelLoader.loadModel(o.modelDir(), new LoadOptions(format, f32 ? DType.F32 : DType.BF16, o.seed()));
    try {
      return new CudaModelRunner(model, o.maxNumBatchedTokens(), o.maxNumSeqs(), Math.min(o.maxModelLen(), GRAPH_CONTEXT), f32);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}

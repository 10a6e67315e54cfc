package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.runner.ModelRunner;
import dev.barista.engine.runner.ModelRunnerProvider;
import dev.barista.engine.runner.RunnerOptions;
import dev.barista.engine.testing.ReferenceModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --device auto: the preferred available backend that computes the model. */
class ModelRunnersTest {
  /** A backend preferred over the CPU that, like the CUDA runner, takes no mixtures of experts. */
  private static final ModelRunnerProvider DENSE_ONLY = new ModelRunnerProvider() {
    @Override
    public String device() {
      return "dense-only";
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
      return 100;
    }

    @Override
    public ModelRunner create(RunnerOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean supports(ModelConfig config) {
      return config.moe() == null;
    }
  };

  @Test
  void autoPassesOverBackendsThatDoNotComputeTheModel() {
    List<ModelRunnerProvider> providers = List.of(new CpuRunnerProvider(), DENSE_ONLY);
    ModelConfig dense = ModelConfig.load(ReferenceModel.folder("tiny-llama"));
    ModelConfig moe = ModelConfig.load(ReferenceModel.folder("tiny-mixtral"));
    assertEquals("dense-only", ModelRunners.select("auto", providers, dense).device());
    assertEquals("cpu", ModelRunners.select("auto", providers, moe).device());
    assertEquals("dense-only", ModelRunners.select("dense-only", providers, moe).device(), "an explicit device is taken as asked");
  }
}

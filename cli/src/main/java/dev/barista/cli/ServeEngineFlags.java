package dev.barista.cli;

import dev.barista.engine.api.EngineArgs;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The engine flags of `vllm serve`: the shared engine options plus --seed (vLLM's name for the
 * engine seed on serve) and --tensor-parallel-size (1 until multi-GPU exists).
 */
public final class ServeEngineFlags {
  @Mixin EngineOptions engine;

  @Option(names = "--seed", description = "Seed of dummy weights and of unseeded sampling.")
  Long seed;

  @Option(names = {"--tensor-parallel-size", "-tp"}, defaultValue = "1", description = "Only 1 for now.")
  int tensorParallelSize;

  EngineArgs toArgs(String model) {
    if (tensorParallelSize != 1) {
      throw new IllegalArgumentException("--tensor-parallel-size " + tensorParallelSize
          + " is not supported yet (multi-GPU is not implemented); use 1");
    }
    EngineArgs args = engine.toArgs(Path.of(model), 256);
    return seed == null ? args : args.toBuilder().seed(seed).build();
  }
}

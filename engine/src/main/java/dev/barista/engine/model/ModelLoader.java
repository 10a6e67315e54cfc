package dev.barista.engine.model;

import dev.barista.engine.config.GenerationConfig;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.config.ModelFolderNotFoundException;
import dev.barista.engine.config.ModelLoadException;
import dev.barista.engine.cpu.CpuModelRunner;
import dev.barista.engine.weights.DummyWeights;
import dev.barista.engine.weights.PrefixedWeights;
import dev.barista.engine.weights.SafetensorsFile;
import dev.barista.engine.weights.ShardedWeights;
import dev.barista.engine.weights.TorchCheckpoint;
import dev.barista.engine.weights.StreamedSafetensors;
import dev.barista.hub.StreamSource;
import dev.barista.engine.weights.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point: a Hugging Face model folder in, a runnable model out. Every failure is a {@link
 * ModelLoadException} subclass whose message names the file, key or tensor.
 */
public final class ModelLoader {
  private ModelLoader() {}

  /** Loads the folder and builds the CPU runner over it (the runner owns and closes the weights). */
  public static CpuModelRunner load(Path modelDir, LoadOptions options) {
    LoadedModel model = loadModel(modelDir, options);
    try {
      return new CpuModelRunner(model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Reads configs and weights for any backend; the caller closes the result. */
  public static LoadedModel loadModel(Path modelDir, LoadOptions options) {
    if (!Files.isDirectory(modelDir)) throw new ModelFolderNotFoundException(modelDir, "model folder");
    ModelConfig config = ModelConfig.load(modelDir);
    if (options.dtype() != null && options.loadFormat() == LoadFormat.DUMMY) {
      config = config.withDtype(options.dtype());
    }
    GenerationConfig generation = GenerationConfig.load(modelDir);
    Architecture arch = ArchitectureRegistry.describe(config);
    WeightSource source = options.loadFormat() == LoadFormat.DUMMY
        ? new DummyWeights(config.dtype(), options.seed())
        : PrefixedWeights.languageModelOf(openSafetensors(modelDir));
    try {
      ModelWeights weights = ModelWeightsLoader.load(config, arch, source);
      return new LoadedModel(config, generation, arch, weights, source);
    } catch (RuntimeException e) {
      source.close();
      throw e;
    }
  }

  private static WeightSource openSafetensors(Path dir) {
    // weights left in a blob store by ModelResolver: the marker wins over files a download left behind
    var remote = StreamSource.read(dir);
    if (remote.isPresent()) return StreamedSafetensors.open(remote.get().store());
    Path index = dir.resolve("model.safetensors.index.json");
    if (Files.isRegularFile(index)) return ShardedWeights.open(index);
    Path single = dir.resolve("model.safetensors");
    if (Files.isRegularFile(single)) return SafetensorsFile.open(single);
    // as vLLM does, PyTorch checkpoints where a model has no safetensors
    Path binIndex = dir.resolve("pytorch_model.bin.index.json");
    if (Files.isRegularFile(binIndex)) return ShardedWeights.open(binIndex, TorchCheckpoint::open);
    Path bin = dir.resolve("pytorch_model.bin");
    if (Files.isRegularFile(bin)) return TorchCheckpoint.open(bin);
    throw new ModelLoadException(dir + ": no model.safetensors, model.safetensors.index.json or pytorch_model.bin"
        + " (use --load-format dummy for random weights)");
  }
}

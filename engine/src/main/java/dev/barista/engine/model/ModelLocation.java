package dev.barista.engine.model;

import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.config.ModelFolderNotFoundException;
import dev.barista.engine.config.ModelLoadException;
import dev.barista.hub.HubException;
import dev.barista.hub.ModelResolver;
import dev.barista.hub.ModelResolver.WeightsMode;
import dev.barista.hub.shard.ShardManifest;
import dev.barista.hub.shard.ShardMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local folder for a --model argument: a folder as it is; a Hugging Face repo id (at
 * --revision), s3:// or file:// URI through {@link ModelResolver}: the hub cache, or a store's
 * files downloaded, or (--load-format runai_streamer, and dummy, which needs no weights) configs
 * local and weights streamed at load.
 */
public final class ModelLocation {
  private record Key(Path model, String revision, WeightsMode mode) {}

  /** Remote models resolved in this process: the server and the engine both ask, the hub once. */
  private static final Map<Key, Path> RESOLVED = new ConcurrentHashMap<>();

  private ModelLocation() {}

  /** Resolves the engine's model as its args say; failures are {@link ModelLoadException}s naming the model. */
  public static Path resolve(EngineArgs args) {
    boolean configsOnly = args.streamsWeights() || LoadFormat.parse(args.loadFormat()) == LoadFormat.DUMMY;
    return resolve(args.model(), args.revision(), configsOnly ? WeightsMode.STREAM : WeightsMode.DOWNLOAD);
  }

  /**
   * The folder to read the tokenizer from: the model's, or with a tokenizer_revision other than the
   * model's, that revision's tokenizer files from the hub.
   */
  public static Path resolveTokenizer(EngineArgs args, Path modelFolder) {
    String wanted = args.tokenizerRevision();
    if (wanted == null || wanted.equals(args.revision() == null ? "main" : args.revision())) return modelFolder;
    try {
      return ModelResolver.fromEnvironment().resolveTokenizer(args.model().toString(), wanted);
    } catch (HubException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }

  private static Path resolve(Path model, String revision, WeightsMode mode) {
    try {
      if (Files.isDirectory(model)) {
        ShardManifest.requireDegree(model, 1);
        return model;
      }
      if (!ModelResolver.isRemote(model.toString())) throw new ModelFolderNotFoundException(model, "model folder");
      return RESOLVED.computeIfAbsent(new Key(model, revision, mode),
          k -> ModelResolver.fromEnvironment(mode).resolve(model.toString(), revision, 1));
    } catch (HubException e) {
      // "org/name" could also be a mistyped local folder: say both
      String prefix = model.toString().contains(":") ? "" : "no folder " + model + "; as a Hugging Face repo: ";
      throw new ModelLoadException(prefix + e.getMessage(), e);
    } catch (ShardMismatchException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }
}

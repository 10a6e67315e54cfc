package dev.barista.engine.model;

import dev.barista.engine.config.ModelFolderNotFoundException;
import dev.barista.engine.config.ModelLoadException;
import dev.barista.hub.HubException;
import dev.barista.hub.ModelResolver;
import dev.barista.hub.shard.ShardManifest;
import dev.barista.hub.shard.ShardMismatchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local folder for a --model argument: a folder as it is; a Hugging Face repo id, s3:// or
 * file:// URI through {@link ModelResolver} (hub cache, or configs local and weights streamed).
 */
public final class ModelLocation {
  /** Remote models resolved in this process: the server and the engine both ask, the hub once. */
  private static final Map<Path, Path> RESOLVED = new ConcurrentHashMap<>();

  private ModelLocation() {}

  /** Resolves for a single-rank engine; failures are {@link ModelLoadException}s naming the model. */
  public static Path resolve(Path model) {
    try {
      if (Files.isDirectory(model)) {
        ShardManifest.requireDegree(model, 1);
        return model;
      }
      if (!ModelResolver.isRemote(model.toString())) throw new ModelFolderNotFoundException(model, "model folder");
      return RESOLVED.computeIfAbsent(model, m -> ModelResolver.fromEnvironment().resolve(m.toString(), "main", 1));
    } catch (HubException e) {
      // "org/name" could also be a mistyped local folder: say both
      String prefix = model.toString().contains(":") ? "" : "no folder " + model + "; as a Hugging Face repo: ";
      throw new ModelLoadException(prefix + e.getMessage(), e);
    } catch (ShardMismatchException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }
}

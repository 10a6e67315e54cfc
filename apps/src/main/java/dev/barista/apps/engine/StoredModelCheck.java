package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import dev.barista.hub.shard.ShardManifest;
import dev.barista.hub.shard.ShardMismatchException;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3Settings;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Deploy-time check of a model_path that {@code barista prefetch hf --shard tp=N} wrote: its
 * barista-shard.json must name the tensor-parallel size the app runs with, and only Barista reads
 * that per-rank layout. Reads the store (s3://, file://, a folder) with the replica's settings.
 */
public final class StoredModelCheck {
  private StoredModelCheck() {}

  /** @param env the environment a replica gets (AWS_ENDPOINT_URL etc. for s3://) */
  public static void check(EngineApp app, Map<String, String> env) {
    String where = app.engine().model().localPath();
    if (where == null) return;
    Optional<ShardManifest> manifest;
    try (BlobStore store = BlobStores.open(where, S3Settings.fromEnvironment(env), 2)) {
      manifest = ShardManifest.read(store);
    } catch (ShardMismatchException e) {
      throw new AppValidationException("model_path", e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new AppValidationException("model_path", where + ": cannot read the model: " + e.getMessage());
    }
    if (manifest.isEmpty()) return;
    int shardedFor = manifest.get().tensorParallelSize();
    try {
      manifest.get().requireDegree(where, app.tensorParallelSize());
    } catch (ShardMismatchException e) {
      throw new AppValidationException("model_path", e.getMessage() + ": run the app with --tensor-parallel-size "
          + shardedFor + " in extra_args (and " + shardedFor + " GPUs in resources.gpu), or prefetch without --shard");
    }
    if (app.kind() != Engine.BARISTA)
      throw new AppValidationException("model_path", where + " holds per-rank folders written by barista prefetch --shard,"
          + " which only Barista loads; for " + app.kind().displayName() + " prefetch without --shard ("
          + app.kind().displayName() + " splits the weights itself)");
  }
}

package dev.barista.hub;

import dev.barista.hub.shard.ShardConfig;
import dev.barista.hub.shard.TensorParallelSharder;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies a hub model into a blob store, optionally split per tensor-parallel rank, so that the
 * store URI can serve as a model path (an app's model_path, or --model).
 */
public final class Prefetcher {
  /** What was written: the store, the number of files and their bytes. */
  public record Result(String store, int files, long bytes) {}

  private final HubClient hub;
  private final S3Settings s3;
  private final DownloadProgress progress;

  public Prefetcher(HubClient hub, S3Settings s3, DownloadProgress progress) {
    this.hub = hub;
    this.s3 = s3;
    this.progress = progress;
  }

  public Result fromHub(RepoId repo, String revision, String to, Optional<ShardConfig> shard) throws IOException {
    RepoSnapshot snap = hub.snapshot(repo, revision, FilePatterns.MODEL_FILES, progress);
    boolean split = shard.isPresent() && shard.get().tensorParallelSize() > 1;
    if (!split) return upload(snap.folder(), to);
    Path work = Files.createTempDirectory("barista-shard-");
    try {
      TensorParallelSharder.shard(snap.folder(), work, shard.get(), repo + "@" + snap.commit());
      return upload(work, to);
    } finally {
      deleteTree(work);
    }
  }

  /** Puts every file under folder (links followed) into the store, keys relative to folder. */
  private Result upload(Path folder, String to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long bytes = 0;
    try (BlobStore store = BlobStores.open(to, s3, 16)) {
      for (Path f : files) {
        store.put(folder.relativize(f).toString().replace('\\', '/'), f);
        bytes += Files.size(f);
      }
    }
    return new Result(to, files.size(), bytes);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}

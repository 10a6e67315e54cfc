package dev.barista.hub;

import dev.barista.hub.shard.ShardManifest;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Turns a model argument into a local model folder: a folder or file:// URI as it is; a Hugging
 * Face repo id ("Qwen/Qwen3-0.6B") through the hub cache; an s3:// prefix into a local folder
 * under $HF_HOME/barista/stores, either with the weights copied (DOWNLOAD) or with configs only
 * and a {@link StreamSource} so the weights are streamed at load (STREAM).
 */
public final class ModelResolver {
  /** What to do with the weights of a remote store. */
  public enum WeightsMode { DOWNLOAD, STREAM }

  private final HubSettings hub;
  private final S3Settings s3;
  private final WeightsMode mode;
  private final DownloadProgress progress;

  public ModelResolver(HubSettings hub, S3Settings s3, WeightsMode mode, DownloadProgress progress) {
    this.hub = hub;
    this.s3 = s3;
    this.mode = mode;
    this.progress = progress;
  }

  /** The process's settings; weights of s3:// models are streamed; progress on a terminal. */
  public static ModelResolver fromEnvironment() {
    return fromEnvironment(WeightsMode.STREAM);
  }

  /** The process's settings, weights of s3:// models handled as {@code mode} says; progress on a terminal. */
  public static ModelResolver fromEnvironment(WeightsMode mode) {
    return new ModelResolver(HubSettings.fromEnvironment(), S3Settings.fromEnvironment(), mode,
        DownloadProgress.forTerminal());
  }

  public Path resolve(String model) {
    return resolve(model, "main", 1);
  }

  /**
   * The local folder for a model argument, checked loadable with this tensor-parallel size.
   *
   * @param revision branch, tag or commit, for hub repos
   */
  public Path resolve(String model, String revision, int tensorParallelSize) {
    Path folder = locate(model, revision == null ? "main" : revision);
    ShardManifest.requireDegree(folder, tensorParallelSize);
    return folder;
  }

  /**
   * The tokenizer files of a hub repo at another revision than its weights (vLLM's
   * --tokenizer-revision): a snapshot of that revision holding the tokenizer files only.
   */
  public Path resolveTokenizer(String model, String revision) {
    String m = normalize(model);
    if (Files.isDirectory(Path.of(m)) || !RepoId.isValid(m) || looksLikePath(m) || BlobStores.isS3(m) || BlobStores.isFileUri(m))
      throw new HubException("tokenizer_revision applies to Hugging Face repo ids, and '" + model + "' is not one");
    return new HubClient(hub).snapshot(new RepoId(m), revision, FilePatterns.TOKENIZER_FILES, progress).folder();
  }

  /**
   * Whether a model argument names something to fetch (a repo id, s3:// or file:// URI) rather
   * than a local folder path.
   */
  public static boolean isRemote(String model) {
    String m = normalize(model);
    return BlobStores.isS3(m) || BlobStores.isFileUri(m) || (RepoId.isValid(m) && !looksLikePath(m));
  }

  /** Undoes what java.nio.file.Path does to a URI passed through it ("s3://b/k" becomes "s3:/b/k"). */
  public static String normalize(String model) {
    if (model.startsWith("s3:/") && !model.startsWith("s3://")) return "s3://" + model.substring(4);
    return model;
  }

  private Path locate(String arg, String revision) {
    if (arg == null || arg.isBlank()) throw new IllegalArgumentException("model: no model given");
    String model = normalize(arg);
    if (BlobStores.isS3(model)) return fromStore(model);
    if (BlobStores.isFileUri(model)) return existingFolder(BlobStores.localPath(model), model);
    Path local = Path.of(model);
    if (Files.isDirectory(local)) return local;
    if (looksLikePath(model) || !RepoId.isValid(model)) return existingFolder(local, model);
    RepoSnapshot snap = new HubClient(hub).snapshot(new RepoId(model), revision, FilePatterns.MODEL_FILES, progress);
    return snap.folder();
  }

  private static boolean looksLikePath(String s) {
    return s.startsWith("/") || s.startsWith(".") || s.startsWith("~") || s.contains("\\") || s.split("/").length > 2;
  }

  private static Path existingFolder(Path p, String arg) {
    if (!Files.isDirectory(p)) {
      throw new HubException("model '" + arg + "': no such folder, and not a Hugging Face repo id or s3:// URI");
    }
    return p;
  }

  /** Safetensors and their index: streamed from the store, so not copied (a local index would point at absent files). */
  private static boolean isWeights(String key) {
    return key.endsWith(".safetensors") || key.endsWith(".safetensors.index.json");
  }

  /** Copies what the store holds into a local folder: everything, or all but the weights to stream. */
  private Path fromStore(String uri) {
    Path dir = hub.hfHome().resolve("barista").resolve("stores").resolve(uri.replace("://", "/").replaceAll("/+$", ""));
    try (BlobStore store = BlobStores.open(uri, s3, 16)) {
      var blobs = store.list();
      if (blobs.isEmpty()) throw new HubException(uri + ": the store holds no files");
      Files.createDirectories(dir);
      boolean stream = mode == WeightsMode.STREAM;
      for (BlobStore.Blob b : blobs) {
        if (stream && isWeights(b.key())) continue;
        Path target = dir.resolve(b.key()).normalize();
        if (!target.startsWith(dir)) throw new HubException(uri + ": bad key " + b.key());
        if (Files.isRegularFile(target) && Files.size(target) == b.size()) continue;
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".incomplete");
        try (InputStream in = store.open(b.key())) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
      if (stream) new StreamSource(uri).write(dir);
      else Files.deleteIfExists(dir.resolve(StreamSource.FILE));
      return dir;
    } catch (IOException e) {
      throw new HubException(uri + ": " + e.getMessage(), e);
    }
  }
}

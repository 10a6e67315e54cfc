package dev.barista.hub.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.barista.hub.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * barista-shard.json: written at the root of a sharded model and in each rank folder. It records
 * the degree the weights were split for, so loading with another degree is refused.
 *
 * @param rank the rank of this folder, or -1 at the root
 * @param ranks the rank folders, relative to the root
 * @param splits tensor name to split kind (COLUMN, ROW, VOCAB, REPLICATED)
 */
public record ShardManifest(
    String format, int tensorParallelSize, int rank, List<String> ranks, String source, Map<String, TensorSplit> splits) {

  public static final String FILE = "barista-shard.json";
  public static final String FORMAT = "barista-tensor-parallel-v1";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static String rankFolder(int rank) {
    return "rank-" + rank;
  }

  public ShardManifest forRank(int r) {
    return new ShardManifest(format, tensorParallelSize, r, ranks, source, splits);
  }

  public void write(Path folder) throws IOException {
    JSON.writeValue(folder.resolve(FILE).toFile(), this);
  }

  public static Optional<ShardManifest> read(Path folder) {
    Path f = folder.resolve(FILE);
    if (!Files.isRegularFile(f)) return Optional.empty();
    try (InputStream in = Files.newInputStream(f)) {
      return Optional.of(parse(in, f.toString()));
    } catch (IOException e) {
      throw new ShardMismatchException(f + ": unreadable shard manifest: " + e.getMessage());
    }
  }

  /** The manifest at the root of a store (s3://, file://, a folder), if it holds one. */
  public static Optional<ShardManifest> read(BlobStore store) throws IOException {
    if (!store.exists(FILE)) return Optional.empty();
    try (InputStream in = store.open(FILE)) {
      return Optional.of(parse(in, store.uri() + "/" + FILE));
    }
  }

  private static ShardManifest parse(InputStream in, String where) {
    try {
      ShardManifest m = JSON.readValue(in, ShardManifest.class);
      if (!FORMAT.equals(m.format())) throw new ShardMismatchException(where + ": unknown shard format " + m.format());
      return m;
    } catch (IOException e) {
      throw new ShardMismatchException(where + ": unreadable shard manifest: " + e.getMessage());
    }
  }

  /** Refuses loading {@code where} (this manifest's model) with another tensor-parallel size. */
  public void requireDegree(String where, int tensorParallelSize) {
    if (this.tensorParallelSize != tensorParallelSize) {
      throw new ShardMismatchException(where + " was sharded for tensor_parallel_size=" + this.tensorParallelSize
          + " and cannot be loaded with tensor_parallel_size=" + tensorParallelSize);
    }
  }

  /**
   * Checks that a model folder may be loaded with this tensor-parallel size: an unsharded folder
   * always may, a sharded one (its root or a rank folder) only with the degree it was made for.
   */
  public static void requireDegree(Path folder, int tensorParallelSize) {
    read(folder).ifPresent(m -> m.requireDegree(folder.toString(), tensorParallelSize));
  }
}

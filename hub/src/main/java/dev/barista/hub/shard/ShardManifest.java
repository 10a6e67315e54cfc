package dev.barista.hub.shard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
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
    try {
      ShardManifest m = JSON.readValue(f.toFile(), ShardManifest.class);
      if (!FORMAT.equals(m.format())) throw new ShardMismatchException(f + ": unknown shard format " + m.format());
      return Optional.of(m);
    } catch (IOException e) {
      throw new ShardMismatchException(f + ": unreadable shard manifest: " + e.getMessage());
    }
  }

  /**
   * Checks that a model folder may be loaded with this tensor-parallel size: an unsharded folder
   * always may, a sharded one (its root or a rank folder) only with the degree it was made for.
   */
  public static void requireDegree(Path folder, int tensorParallelSize) {
    read(folder).ifPresent(m -> {
      if (m.tensorParallelSize() != tensorParallelSize) {
        throw new ShardMismatchException(folder + " was sharded for tensor_parallel_size=" + m.tensorParallelSize()
            + " and cannot be loaded with tensor_parallel_size=" + tensorParallelSize);
      }
    });
  }
}

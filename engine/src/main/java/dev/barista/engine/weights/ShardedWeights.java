package dev.barista.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Weights split over several shards, located through an index's weight_map (tensor name to shard
 * file name): model.safetensors.index.json over safetensors files, pytorch_model.bin.index.json
 * over PyTorch checkpoints.
 */
public final class ShardedWeights implements WeightSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path index;
  private final Map<String, WeightSource> byTensor;
  private final Map<String, WeightSource> shards;

  private ShardedWeights(Path index, Map<String, WeightSource> byTensor, Map<String, WeightSource> shards) {
    this.index = index;
    this.byTensor = byTensor;
    this.shards = shards;
  }

  /** model.safetensors.index.json and its safetensors shards. */
  public static ShardedWeights open(Path indexFile) {
    return open(indexFile, SafetensorsFile::open);
  }

  /** An index and its shards, each opened by {@code openShard}. */
  public static ShardedWeights open(Path indexFile, Function<Path, WeightSource> openShard) {
    JsonNode map;
    try {
      JsonNode root = MAPPER.readTree(indexFile.toFile());
      map = root == null ? null : root.get("weight_map");
    } catch (IOException e) {
      throw new SafetensorsFormatException(indexFile + ": invalid JSON", e);
    }
    if (map == null || !map.isObject()) {
      throw new SafetensorsFormatException(indexFile + ": no weight_map object");
    }
    Map<String, WeightSource> shards = new LinkedHashMap<>();
    Map<String, WeightSource> byTensor = new HashMap<>();
    try {
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String shardName = e.getValue().asText();
        WeightSource shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = indexFile.resolveSibling(shardName);
          if (!Files.isRegularFile(shardPath)) {
            throw new SafetensorsFormatException(indexFile + ": shard " + shardName + " not found");
          }
          shard = openShard.apply(shardPath);
          shards.put(shardName, shard);
        }
        byTensor.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      shards.values().forEach(WeightSource::close);
      throw e;
    }
    return new ShardedWeights(indexFile, byTensor, shards);
  }

  @Override
  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  @Override
  public java.lang.foreign.MemorySegment loadBytes(String name, long... expectedShape) {
    WeightSource shard = byTensor.get(name);
    if (shard == null) throw new MissingTensorException(name, index.toString());
    return shard.loadBytes(name, expectedShape);
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    WeightSource shard = byTensor.get(name);
    if (shard == null) throw new MissingTensorException(name, index.toString());
    return shard.load(name, expectedShape);
  }

  @Override
  public void close() {
    shards.values().forEach(WeightSource::close);
  }
}

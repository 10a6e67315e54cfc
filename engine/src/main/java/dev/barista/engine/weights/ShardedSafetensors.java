package dev.barista.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights split over several .safetensors shards, located through model.safetensors.index.json's
 * weight_map (tensor name to shard file name).
 */
public final class ShardedSafetensors implements WeightSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path index;
  private final Map<String, SafetensorsFile> byTensor;
  private final Map<String, SafetensorsFile> shards;

  private ShardedSafetensors(Path index, Map<String, SafetensorsFile> byTensor,
      Map<String, SafetensorsFile> shards) {
    this.index = index;
    this.byTensor = byTensor;
    this.shards = shards;
  }

  public static ShardedSafetensors open(Path indexFile) {
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
    Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new HashMap<>();
    try {
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String shardName = e.getValue().asText();
        SafetensorsFile shard = shards.get(shardName);
        if (shard == null) {
          Path shardPath = indexFile.resolveSibling(shardName);
          if (!Files.isRegularFile(shardPath)) {
            throw new SafetensorsFormatException(indexFile + ": shard " + shardName + " not found");
          }
          shard = SafetensorsFile.open(shardPath);
          shards.put(shardName, shard);
        }
        byTensor.put(e.getKey(), shard);
      }
    } catch (RuntimeException e) {
      shards.values().forEach(SafetensorsFile::close);
      throw e;
    }
    return new ShardedSafetensors(indexFile, byTensor, shards);
  }

  @Override
  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    SafetensorsFile shard = byTensor.get(name);
    if (shard == null) throw new MissingTensorException(name, index.toString());
    return shard.load(name, expectedShape);
  }

  @Override
  public void close() {
    shards.values().forEach(SafetensorsFile::close);
  }
}

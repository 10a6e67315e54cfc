package dev.barista.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.hub.safetensors.SafetensorsHeader;
import dev.barista.hub.safetensors.TensorEntry;
import dev.barista.hub.store.BlobStore;
import dev.barista.hub.store.BlobStores;
import dev.barista.hub.store.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Safetensors streamed from a blob store (s3://, file://) straight into native memory with
 * parallel range reads: no local copy of the weights. Each file's data section becomes one
 * off-heap segment; tensors are slices of it, exactly the bytes a local load maps.
 */
public final class StreamedSafetensors implements WeightSource {
  /** Bytes per range request: large enough to amortize a request, small enough to spread over threads. */
  public static final long CHUNK = 16L << 20;
  /** Concurrent range reads: I/O-bound, so more than the cores. */
  public static final int DEFAULT_PARALLELISM = 16;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String INDEX = "model.safetensors.index.json";

  private record Entry(TensorEntry meta, MemorySegment data, String file) {}

  private final String where;
  private final Arena arena;
  private final Map<String, Entry> entries;
  private final long bytes;

  private StreamedSafetensors(String where, Arena arena, Map<String, Entry> entries, long bytes) {
    this.where = where;
    this.arena = arena;
    this.entries = entries;
    this.bytes = bytes;
  }

  /** Streams from a store URI (s3://, file://, a folder) with the process's S3 settings. */
  public static StreamedSafetensors open(String storeUri) {
    try (BlobStore store = BlobStores.open(storeUri, S3Settings.fromEnvironment(), DEFAULT_PARALLELISM)) {
      return open(store, DEFAULT_PARALLELISM);
    }
  }

  /** Streams the model's safetensors (through its index, or model.safetensors) with this many readers. */
  public static StreamedSafetensors open(BlobStore store, int parallelism) {
    String where = store.uri().toString();
    Arena arena = Arena.ofShared();
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism))) {
      Map<String, Entry> entries = new HashMap<>();
      List<Future<?>> reads = new ArrayList<>();
      long total = 0;
      for (String file : weightFiles(store, where)) {
        SafetensorsHeader header = SafetensorsHeader.read(store, file);
        MemorySegment data = UninitializedMemory.allocate(header.dataSize(), arena);
        for (long off = 0; off < header.dataSize(); off += CHUNK) {
          long at = off;
          long len = Math.min(CHUNK, header.dataSize() - off);
          reads.add(pool.submit(() -> {
            store.read(file, header.dataStart() + at, data.asSlice(at, len));
            return null;
          }));
        }
        for (TensorEntry t : header.tensors()) {
          entries.put(t.name(), new Entry(t, data.asSlice(t.begin(), t.byteSize()), file));
        }
        total += header.dataSize();
      }
      for (Future<?> r : reads) r.get();
      return new StreamedSafetensors(where, arena, entries, total);
    } catch (ExecutionException e) {
      arena.close();
      throw new SafetensorsFormatException(where + ": streaming failed: " + e.getCause().getMessage(), e.getCause());
    } catch (IOException | RuntimeException e) {
      arena.close();
      if (e instanceof SafetensorsFormatException s) throw s;
      throw new SafetensorsFormatException(where + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      arena.close();
      Thread.currentThread().interrupt();
      throw new SafetensorsFormatException(where + ": interrupted while streaming", e);
    }
  }

  /** The index's shard files, else model.safetensors. */
  private static Set<String> weightFiles(BlobStore store, String where) throws IOException {
    if (store.exists(INDEX)) {
      JsonNode map;
      try (InputStream in = store.open(INDEX)) {
        JsonNode root = MAPPER.readTree(in);
        map = root == null ? null : root.get("weight_map");
      }
      if (map == null || !map.isObject()) throw new SafetensorsFormatException(where + "/" + INDEX + ": no weight_map object");
      Set<String> files = new LinkedHashSet<>();
      map.properties().forEach(e -> files.add(e.getValue().asText()));
      return files;
    }
    if (store.exists("model.safetensors")) return Set.of("model.safetensors");
    throw new SafetensorsFormatException(where + ": no model.safetensors or " + INDEX);
  }

  /** Bytes of tensor data streamed. */
  public long bytes() {
    return bytes;
  }

  @Override
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  @Override
  public MemorySegment loadBytes(String name, long... expectedShape) {
    Entry e = entries.get(name);
    if (e == null) throw new MissingTensorException(name, where);
    return TensorChecks.requireBytes(name, e.meta().dtype().name(), e.meta().shape(), expectedShape, e.data(),
        where + "/" + e.file());
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    Entry e = entries.get(name);
    if (e == null) throw new MissingTensorException(name, where);
    DType d = DType.fromSafetensorsName(e.meta().dtype().name());
    if (d == null) {
      throw new UnsupportedDtypeException(where + "/" + e.file() + ": tensor " + name + " has dtype "
          + e.meta().dtype() + ", supported: F32, BF16, F16");
    }
    Tensor t = new Tensor(name, d, e.meta().shape().clone(), e.data());
    return TensorChecks.requireShape(t, expectedShape, where + "/" + e.file());
  }

  @Override
  public void close() {
    arena.close();
  }
}

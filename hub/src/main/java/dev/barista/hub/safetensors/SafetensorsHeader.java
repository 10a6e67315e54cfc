package dev.barista.hub.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.barista.hub.store.BlobStore;

/**
 * The header of a safetensors file: an 8-byte little-endian length, then that many bytes of JSON
 * naming each tensor's dtype, shape and data offsets; the data section follows.
 */
public record SafetensorsHeader(List<TensorEntry> tensors, Map<String, String> metadata, long dataStart) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  /** Reads the header of a blob with two small range reads. */
  public static SafetensorsHeader read(BlobStore store, String key) throws IOException {
    long fileSize = store.size(key);
    if (fileSize < 8) throw new SafetensorsFormatException(key + ": too short for a safetensors file");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment len = arena.allocate(8);
      store.read(key, 0, len);
      long n = len.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
      if (n <= 0 || n > MAX_HEADER || 8 + n > fileSize) {
        throw new SafetensorsFormatException(key + ": bad header length " + n);
      }
      MemorySegment json = arena.allocate(n);
      store.read(key, 8, json);
      SafetensorsHeader h = parse(json.toArray(ValueLayout.JAVA_BYTE), key);
      h.checkWithin(fileSize, key);
      return h;
    }
  }

  /** Parses the JSON part of a header; where names the file in errors. */
  public static SafetensorsHeader parse(byte[] json, String where) throws IOException {
    JsonNode root = JSON.readTree(json);
    if (root == null || !root.isObject()) throw new SafetensorsFormatException(where + ": header is not a JSON object");
    List<TensorEntry> tensors = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (var it = root.properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equals("__metadata__")) {
        e.getValue().properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
        continue;
      }
      JsonNode t = e.getValue();
      JsonNode shapeNode = t.path("shape");
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) shape[i] = shapeNode.get(i).asLong();
      JsonNode off = t.path("data_offsets");
      if (off.size() != 2) throw new SafetensorsFormatException(where + ": tensor " + e.getKey() + " has no data_offsets");
      DType dtype = DType.parse(t.path("dtype").asText(), where + ": tensor " + e.getKey());
      TensorEntry entry = new TensorEntry(e.getKey(), dtype, shape, off.get(0).asLong(), off.get(1).asLong());
      if (entry.end() < entry.begin() || entry.byteSize() != entry.elements() * dtype.bytes()) {
        throw new SafetensorsFormatException(where + ": tensor " + e.getKey() + " has offsets that do not match its shape");
      }
      tensors.add(entry);
    }
    tensors.sort(Comparator.comparingLong(TensorEntry::begin));
    return new SafetensorsHeader(List.copyOf(tensors), Map.copyOf(metadata), 8L + json.length);
  }

  /** The size of the data section: the end of the last tensor. */
  public long dataSize() {
    return tensors.stream().mapToLong(TensorEntry::end).max().orElse(0);
  }

  private void checkWithin(long fileSize, String where) {
    if (dataStart + dataSize() > fileSize) {
      throw new SafetensorsFormatException(where + ": tensors extend past the end of the file (" + fileSize + " bytes)");
    }
  }

  public TensorEntry tensor(String name) {
    return tensors.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no tensor " + name));
  }
}

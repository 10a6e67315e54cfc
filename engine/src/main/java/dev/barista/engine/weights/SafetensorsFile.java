package dev.barista.engine.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One memory-mapped .safetensors file: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the data. Tensors are slices of the mapping: no
 * copy, no upcast. The header is validated up front so a corrupt file fails at load, not mid-run.
 */
public final class SafetensorsFile implements WeightSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long MAX_HEADER = 100L << 20;

  private record Entry(String dtype, long[] shape, long begin, long end) {}

  private final Path path;
  private final Arena arena;
  private final MemorySegment mapping;
  private final Map<String, Entry> entries;

  private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, Map<String, Entry> entries) {
    this.path = path;
    this.arena = arena;
    this.mapping = mapping;
    this.entries = entries;
  }

  /** Maps and validates {@code path}. */
  public static SafetensorsFile open(Path path) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      MemorySegment map = size == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
      return new SafetensorsFile(path, arena, map, parseHeader(path, map, size));
    } catch (IOException e) {
      arena.close();
      throw new SafetensorsFormatException(path + ": cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static Map<String, Entry> parseHeader(Path path, MemorySegment map, long size) {
    if (size < 8) {
      throw new SafetensorsFormatException(path + ": truncated: " + size + " bytes, no header");
    }
    long headerLen = map.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    if (headerLen < 2 || headerLen > MAX_HEADER) {
      throw new SafetensorsFormatException(path + ": invalid header length " + headerLen);
    }
    if (8 + headerLen > size) {
      throw new SafetensorsFormatException(path + ": truncated: header of " + headerLen
          + " bytes does not fit in " + size + " bytes");
    }
    byte[] header = map.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE);
    JsonNode root;
    try {
      root = MAPPER.readTree(new String(header, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new SafetensorsFormatException(path + ": header is not valid JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsFormatException(path + ": header is not a JSON object");
    }
    long dataStart = 8 + headerLen;
    long dataSize = size - dataStart;
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      if (f.getKey().equals("__metadata__")) continue;
      Entry e = parseEntry(path, f.getKey(), f.getValue());
      if (e.end > dataSize) {
        throw new SafetensorsFormatException(path + ": tensor " + f.getKey() + " ends at byte "
            + e.end + " past the end of the data (" + dataSize + " bytes): file truncated or corrupt");
      }
      entries.put(f.getKey(), new Entry(e.dtype, e.shape, dataStart + e.begin, dataStart + e.end));
    }
    return entries;
  }

  private static Entry parseEntry(Path path, String name, JsonNode n) {
    JsonNode dtype = n.get("dtype");
    JsonNode shape = n.get("shape");
    JsonNode offsets = n.get("data_offsets");
    if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
        || offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw new SafetensorsFormatException(path + ": tensor " + name
          + " needs dtype, shape and data_offsets [begin, end]");
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!shape.get(i).canConvertToLong() || shape.get(i).longValue() < 0) {
        throw new SafetensorsFormatException(path + ": tensor " + name + " has an invalid shape " + shape);
      }
      dims[i] = shape.get(i).longValue();
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin) {
      throw new SafetensorsFormatException(path + ": tensor " + name + " has invalid data_offsets " + offsets);
    }
    DType d = DType.fromSafetensorsName(dtype.textValue());
    if (d != null) {
      long numel = 1;
      for (long x : dims) numel = Math.multiplyExact(numel, x);
      if (numel * d.bytes() != end - begin) {
        throw new SafetensorsFormatException(path + ": tensor " + name + " " + d
            + Arrays.toString(dims) + " needs " + numel * d.bytes() + " bytes, data_offsets span "
            + (end - begin));
      }
    }
    return new Entry(dtype.textValue(), dims, begin, end);
  }

  public Path path() {
    return path;
  }

  public Set<String> names() {
    return entries.keySet();
  }

  @Override
  public boolean contains(String name) {
    return entries.containsKey(name);
  }

  /** The tensor as stored, without a shape check. */
  public Tensor tensor(String name) {
    Entry e = entries.get(name);
    if (e == null) throw new MissingTensorException(name, path.toString());
    DType d = DType.fromSafetensorsName(e.dtype);
    if (d == null) {
      throw new UnsupportedDtypeException(path + ": tensor " + name + " has dtype " + e.dtype
          + ", supported: F32, BF16, F16");
    }
    return new Tensor(name, d, e.shape.clone(), mapping.asSlice(e.begin, e.end - e.begin));
  }

  @Override
  public MemorySegment loadBytes(String name, long... expectedShape) {
    Entry e = entries.get(name);
    if (e == null) throw new MissingTensorException(name, path.toString());
    return TensorChecks.requireBytes(name, e.dtype, e.shape, expectedShape, mapping.asSlice(e.begin, e.end - e.begin),
        path.toString());
  }

  @Override
  public Tensor load(String name, long... expectedShape) {
    return TensorChecks.requireShape(tensor(name), expectedShape, path.toString());
  }

  @Override
  public void close() {
    arena.close();
  }
}

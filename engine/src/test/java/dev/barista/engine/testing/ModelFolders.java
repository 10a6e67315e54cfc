package dev.barista.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.barista.engine.weights.DType;
import dev.barista.engine.weights.SafetensorsFile;
import dev.barista.engine.weights.Tensor;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Copies of reference model folders with deliberate damage, for loader error tests. */
public final class ModelFolders {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ModelFolders() {}

  /** Copies the single-file reference model {@code name} into {@code dir}. */
  public static Path copy(String name, Path dir) throws IOException {
    Path src = ReferenceModel.folder(name);
    try (var files = Files.list(src)) {
      for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
    }
    return dir;
  }

  /** Rewrites config.json through {@code edit}. */
  public static void editConfig(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode root = (ObjectNode) MAPPER.readTree(dir.resolve("config.json").toFile());
    edit.accept(root);
    MAPPER.writeValue(dir.resolve("config.json").toFile(), root);
  }

  /** Rewrites model.safetensors' JSON header through {@code edit}, keeping the data bytes. */
  public static void editHeader(Path dir, Consumer<ObjectNode> edit) throws IOException {
    Path file = dir.resolve("model.safetensors");
    byte[] all = Files.readAllBytes(file);
    long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    ObjectNode header = (ObjectNode) MAPPER.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
    edit.accept(header);
    byte[] json = MAPPER.writeValueAsBytes(header);
    ByteBuffer out = ByteBuffer.allocate(8 + json.length + all.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(json.length).put(json).put(all, 8 + (int) n, all.length - 8 - (int) n);
    Files.write(file, out.array());
  }

  /** Cuts model.safetensors down to {@code bytes}. */
  public static void truncate(Path dir, int bytes) throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), bytes));
  }

  /**
   * A tensor to write into a safetensors file: raw little-endian elements of {@code dtype}, or
   * bytes (U8, e.g. MXFP4 blocks) where dtype is null.
   */
  public record RawTensor(DType dtype, long[] shape, byte[] data) {
    public static RawTensor u8(long[] shape, byte[] data) {
      return new RawTensor(null, shape, data);
    }

    public String safetensorsName() {
      return dtype == null ? "U8" : dtype.safetensorsName();
    }

    public static RawTensor of(Tensor t) {
      return new RawTensor(t.dtype(), t.shape().clone(), t.data().toArray(ValueLayout.JAVA_BYTE));
    }

    /** Rows of several 2-D tensors of one dtype and width, stacked in order (a fused projection). */
    public static RawTensor stack(RawTensor... parts) {
      long rows = 0;
      var bytes = new java.io.ByteArrayOutputStream();
      for (RawTensor p : parts) {
        rows += p.shape[0];
        bytes.writeBytes(p.data);
      }
      return new RawTensor(parts[0].dtype, new long[] {rows, parts[0].shape[1]}, bytes.toByteArray());
    }

    /** This F32 tensor with every element multiplied by {@code factor}. */
    public RawTensor timesF32(float factor) {
      if (dtype != DType.F32) throw new IllegalArgumentException("F32 only, got " + dtype);
      ByteBuffer b = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < data.length; i += 4) b.putFloat(i, b.getFloat(i) * factor);
      return new RawTensor(dtype, shape, b.array());
    }
  }

  /** Every tensor of {@code dir/model.safetensors}, in file order. */
  public static Map<String, RawTensor> readTensors(Path dir) {
    Map<String, RawTensor> out = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      for (String name : f.names()) out.put(name, RawTensor.of(f.tensor(name)));
    }
    return out;
  }

  /** Replaces {@code dir/model.safetensors} with exactly {@code tensors}. */
  public static void writeTensors(Path dir, Map<String, RawTensor> tensors) throws IOException {
    ObjectNode header = MAPPER.createObjectNode();
    long offset = 0;
    for (var e : tensors.entrySet()) {
      ObjectNode t = header.putObject(e.getKey());
      t.put("dtype", e.getValue().safetensorsName());
      var shape = t.putArray("shape");
      for (long d : e.getValue().shape()) shape.add(d);
      t.putArray("data_offsets").add(offset).add(offset + e.getValue().data().length);
      offset += e.getValue().data().length;
    }
    byte[] json = MAPPER.writeValueAsBytes(header);
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      for (RawTensor t : tensors.values()) out.write(t.data());
    }
  }
}

package dev.barista.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
}

package dev.barista.apps.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.apps.secrets.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the running control plane listens and its admin token: {@code CONFIG/controlplane.json}, 0600. */
public record ControlPlaneFile(String url, String token, long pid) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static Path path(Path configDir) {
    return configDir.resolve("controlplane.json");
  }

  public void write(Path configDir) {
    try {
      PrivateFiles.write(path(configDir), JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path(configDir) + ": " + e.getMessage(), e);
    }
  }

  public static Optional<ControlPlaneFile> read(Path configDir) {
    Path p = path(configDir);
    if (!Files.exists(p)) return Optional.empty();
    try {
      return Optional.of(JSON.readValue(p.toFile(), ControlPlaneFile.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static void delete(Path configDir, long pid) {
    read(configDir).filter(f -> f.pid() == pid).ifPresent(f -> {
      try {
        Files.deleteIfExists(path(configDir));
      } catch (IOException ignored) {
        // a stale file is detected by its dead pid
      }
    });
  }
}

package dev.barista.hub;

import java.nio.file.Files;
import java.nio.file.Path;

/** The small reference models, kept once in the engine module's test resources. */
public final class TestModels {
  private TestModels() {}

  public static Path folder(String name) {
    Path dir = Path.of("../engine/src/test/resources/models", name).toAbsolutePath().normalize();
    if (!Files.isRegularFile(dir.resolve("config.json"))) {
      throw new IllegalStateException("no reference model " + name + " at " + dir + " (run from the hub module)");
    }
    return dir;
  }
}

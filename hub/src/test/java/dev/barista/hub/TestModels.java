package dev.barista.hub;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The small reference models copied into the test resources. */
public final class TestModels {
  private TestModels() {}

  public static Path folder(String name) {
    try {
      return Path.of(TestModels.class.getResource("/models/" + name + "/config.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}

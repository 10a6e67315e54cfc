package dev.barista.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * barista-stream.json in a resolved model folder: the folder holds configs and tokenizer, and the
 * safetensors stay in the named blob store, to be streamed into memory at load.
 */
public record StreamSource(String store) {
  public static final String FILE = "barista-stream.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public void write(Path folder) throws IOException {
    Files.writeString(folder.resolve(FILE), JSON.writeValueAsString(Map.of("store", store)));
  }

  public static Optional<StreamSource> read(Path folder) {
    Path f = folder.resolve(FILE);
    if (!Files.isRegularFile(f)) return Optional.empty();
    try {
      String store = JSON.readTree(f.toFile()).path("store").asText("");
      if (store.isEmpty()) throw new HubException(f + ": no \"store\" given");
      return Optional.of(new StreamSource(store));
    } catch (IOException e) {
      throw new HubException(f + ": unreadable: " + e.getMessage(), e);
    }
  }
}

package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test resources: the real tokenizer files and Hugging Face's reference outputs. */
public final class Fixtures {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

  private Fixtures() {}

  public static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource("/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + name, e);
    }
  }

  public static Tokenizer tokenizer(String family) {
    return tokenizerAt("fixtures/" + family);
  }

  /** The tokenizer in a resource directory, loaded once per test run. */
  public static Tokenizer tokenizerAt(String resourceDir) {
    return CACHE.computeIfAbsent(resourceDir, d -> Tokenizer.fromDirectory(resource(d)));
  }

  public static JsonNode json(String name) {
    try {
      return JSON.readTree(Files.readString(resource(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<JsonNode> jsonl(String name) {
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(resource(name))) if (!line.isBlank()) out.add(JSON.readTree(line));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }
}

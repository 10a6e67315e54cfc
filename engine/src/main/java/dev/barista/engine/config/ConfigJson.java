package dev.barista.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JSON object read from a config file, with typed getters whose errors name the file and key. */
final class ConfigJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final JsonNode root;

  private ConfigJson(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  static ConfigJson read(Path file) {
    if (!Files.isRegularFile(file)) {
      Path dir = file.getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw new ModelFolderNotFoundException(dir, "model folder");
      }
      throw new ModelFolderNotFoundException(file, file.getFileName().toString());
    }
    try {
      JsonNode root = MAPPER.readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new InvalidConfigException(file + ": not a JSON object");
      }
      return new ConfigJson(file, root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidConfigException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  /** The nested object under {@code key}, or null when absent or JSON null. */
  ConfigJson object(String key) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return null;
    if (!n.isObject()) throw wrongType(key, "an object");
    return new ConfigJson(file, n);
  }

  /** The nested object under {@code key}, or an empty one when absent or JSON null (every key then defaults). */
  ConfigJson objectOrEmpty(String key) {
    ConfigJson nested = object(key);
    return nested != null ? nested : new ConfigJson(file, MAPPER.createObjectNode());
  }

  /** How many keys this object has. */
  int size() {
    return root.size();
  }

  /** Whether {@code key} is there at all, JSON null included (an explicit "none"). */
  boolean declares(String key) {
    return root.has(key);
  }

  boolean has(String key) {
    JsonNode n = root.get(key);
    return n != null && !n.isNull();
  }

  int requiredInt(String key) {
    return asInt(key, required(key));
  }

  Integer optionalInt(String key) {
    return has(key) ? asInt(key, root.get(key)) : null;
  }

  int optionalInt(String key, int fallback) {
    return has(key) ? asInt(key, root.get(key)) : fallback;
  }

  double requiredDouble(String key) {
    return asDouble(key, required(key));
  }

  Double optionalDouble(String key) {
    return has(key) ? asDouble(key, root.get(key)) : null;
  }

  double optionalDouble(String key, double fallback) {
    return has(key) ? asDouble(key, root.get(key)) : fallback;
  }

  boolean optionalBoolean(String key, boolean fallback) {
    if (!has(key)) return fallback;
    JsonNode n = root.get(key);
    if (!n.isBoolean()) throw wrongType(key, "true or false");
    return n.booleanValue();
  }

  /** A boolean, or a number read as true unless 0 (as Python reads it); {@code fallback} when absent. */
  boolean optionalTruthy(String key, boolean fallback) {
    if (!has(key)) return fallback;
    JsonNode n = root.get(key);
    if (n.isNumber()) return n.doubleValue() != 0;
    return optionalBoolean(key, fallback);
  }

  String optionalString(String key) {
    if (!has(key)) return null;
    JsonNode n = root.get(key);
    if (!n.isTextual()) throw wrongType(key, "a string");
    return n.textValue();
  }

  /** An int or a list of ints (as eos_token_id may be); empty when absent. */
  List<Integer> intOrIntList(String key) {
    List<Integer> out = new ArrayList<>();
    if (!has(key)) return out;
    JsonNode n = root.get(key);
    if (n.isArray()) {
      for (JsonNode e : n) out.add(asInt(key, e));
    } else {
      out.add(asInt(key, n));
    }
    return out;
  }

  /** A required list of numbers (e.g. longrope's short_factor). */
  double[] requiredDoubleList(String key) {
    JsonNode n = required(key);
    if (!n.isArray()) throw wrongType(key, "a list of numbers");
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      if (!n.get(i).isNumber()) throw wrongType(key, "a list of numbers");
      out[i] = n.get(i).doubleValue();
    }
    return out;
  }

  /** A list of strings (e.g. layer_types), or null when absent. */
  List<String> optionalStringList(String key) {
    if (!has(key)) return null;
    JsonNode n = root.get(key);
    if (!n.isArray()) throw wrongType(key, "a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      if (!e.isTextual()) throw wrongType(key, "a list of strings");
      out.add(e.textValue());
    }
    return out;
  }

  /** The first string of a list of strings (e.g. architectures), required. */
  String requiredFirstString(String key) {
    JsonNode n = required(key);
    if (!n.isArray() || n.isEmpty() || !n.get(0).isTextual()) {
      throw wrongType(key, "a non-empty list of strings");
    }
    return n.get(0).textValue();
  }

  private JsonNode required(String key) {
    if (!has(key)) throw new MissingConfigKeyException(file, key);
    return root.get(key);
  }

  private int asInt(String key, JsonNode n) {
    if (!n.isIntegralNumber() || !n.canConvertToInt()) throw wrongType(key, "an integer");
    return n.intValue();
  }

  private double asDouble(String key, JsonNode n) {
    if (!n.isNumber()) throw wrongType(key, "a number");
    return n.doubleValue();
  }

  private InvalidConfigException wrongType(String key, String expected) {
    return new InvalidConfigException(file + ": \"" + key + "\" must be " + expected + ", got "
        + root.get(key));
  }
}

package dev.barista.apps.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.apps.spec.AppValidationException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one YAML mapping strictly: each getter consumes a key, and {@link #finish()} rejects any key
 * nobody asked for (a typo must not silently become a default).
 */
final class Fields {
  private final ObjectNode node;
  private final String path;
  private final Set<String> known = new LinkedHashSet<>();

  Fields(JsonNode node, String path) {
    if (!(node instanceof ObjectNode o)) throw new AppValidationException(path, "expected a mapping of fields");
    this.node = o;
    this.path = path;
  }

  private String at(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    known.add(key);
    return node.hasNonNull(key);
  }

  JsonNode raw(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  String str(String key) {
    JsonNode v = raw(key);
    if (v == null) return null;
    if (!v.isValueNode()) throw type(key, "a string", v);
    return v.asText();
  }

  Integer integer(String key) {
    JsonNode v = raw(key);
    if (v == null) return null;
    if (v.canConvertToInt() && v.isIntegralNumber()) return v.intValue();
    if (v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) return Integer.parseInt(v.asText().trim());
    throw type(key, "an integer", v);
  }

  Boolean bool(String key) {
    JsonNode v = raw(key);
    if (v == null) return null;
    if (v.isBoolean()) return v.booleanValue();
    throw type(key, "true or false", v);
  }

  /** A list of strings; a single string is one element unless {@code split} is given. */
  List<String> strings(String key) {
    JsonNode v = raw(key);
    if (v == null) return null;
    if (v.isValueNode()) return List.of(v.asText());
    if (!v.isArray()) throw type(key, "a list of strings", v);
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isValueNode()) throw type(key, "a list of strings", v);
      out.add(e.asText());
    }
    return out;
  }

  Map<String, String> stringMap(String key) {
    JsonNode v = raw(key);
    if (v == null) return null;
    if (!v.isObject()) throw type(key, "a mapping", v);
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode() || e.getValue().isNull()) throw type(key + "." + e.getKey(), "a string", e.getValue());
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  Fields object(String key) {
    JsonNode v = raw(key);
    return v == null ? null : new Fields(v, at(key));
  }

  List<Fields> objects(String key) {
    JsonNode v = raw(key);
    if (v == null) return List.of();
    if (!v.isArray()) throw type(key, "a list", v);
    List<Fields> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) out.add(new Fields(v.get(i), at(key) + "[" + i + "]"));
    return out;
  }

  String path() {
    return path;
  }

  AppValidationException error(String key, String message) {
    return new AppValidationException(at(key), message);
  }

  /** Fails on the first key that no getter read. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String hint = closest(key);
        throw new AppValidationException(
            at(key), "unknown field" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; known: " + String.join(", ", known));
      }
    }
  }

  private String closest(String key) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = editDistance(key, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++)
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      prev = cur;
    }
    return prev[b.length()];
  }

  private AppValidationException type(String key, String expected, JsonNode got) {
    return new AppValidationException(at(key), "expected " + expected + ", got " + (got.isContainerNode() ? got.getNodeType().toString().toLowerCase() : "'" + got.asText() + "'"));
  }
}

package dev.barista.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed, strict reads of a request's JSON fields: a field of the wrong type is a 400 naming it
 * (no "5" for 5, no 1.5 for an integer); null or absent reads as null.
 */
public final class RequestFields {
  private final ObjectNode node;
  private final String prefix;

  public RequestFields(ObjectNode node) {
    this(node, "");
  }

  private RequestFields(ObjectNode node, String prefix) {
    this.node = node;
    this.prefix = prefix;
  }

  public ObjectNode node() {
    return node;
  }

  /** Full name of a field for error messages, e.g. "messages[2].content". */
  public String path(String field) {
    return prefix + field;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public JsonNode raw(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public String string(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isTextual()) throw wrongType(field, "a string");
    return v.asText();
  }

  public String requiredString(String field) {
    String s = string(field);
    if (s == null) throw ApiException.invalid(path(field), path(field) + " is required");
    return s;
  }

  public Integer integer(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(field, "an integer");
    return v.intValue();
  }

  public Long longValue(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(field, "an integer");
    return v.longValue();
  }

  public Double number(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isNumber()) throw wrongType(field, "a number");
    return v.doubleValue();
  }

  public Boolean bool(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isBoolean()) throw wrongType(field, "a boolean");
    return v.booleanValue();
  }

  public boolean bool(String field, boolean fallback) {
    Boolean b = bool(field);
    return b == null ? fallback : b;
  }

  public List<Integer> intList(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    return intList(v, path(field));
  }

  /** A JSON array of integers (token ids); {@code name} is used in the error. */
  public static List<Integer> intList(JsonNode v, String name) {
    if (!v.isArray()) throw ApiException.invalid(name, name + " must be an array of integers");
    List<Integer> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw ApiException.invalid(name, name + " must be an array of integers");
      }
      out.add(e.intValue());
    }
    return out;
  }

  public List<String> stringList(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isArray()) throw wrongType(field, "an array of strings");
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode e : v) {
      if (!e.isTextual()) throw wrongType(field, "an array of strings");
      out.add(e.asText());
    }
    return out;
  }

  /** A string or an array of strings (OpenAI's "stop"). */
  public List<String> stringOrList(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw wrongType(field, "a string or an array of strings");
    return stringList(field);
  }

  public RequestFields object(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isObject()) throw wrongType(field, "an object");
    return new RequestFields((ObjectNode) v, path(field) + ".");
  }

  /** The elements of an array of objects, each a RequestFields named "field[i].". */
  public List<RequestFields> objectList(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isArray()) throw wrongType(field, "an array of objects");
    List<RequestFields> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isObject()) {
        throw ApiException.invalid(path(field) + "[" + i + "]",
            path(field) + "[" + i + "] must be an object");
      }
      out.add(new RequestFields((ObjectNode) e, path(field) + "[" + i + "]."));
    }
    return out;
  }

  /** A JSON object converted to plain Java maps, lists and scalars (for chat templates). */
  public Map<String, Object> plainObject(String field) {
    JsonNode v = raw(field);
    if (v == null) return null;
    if (!v.isObject()) throw wrongType(field, "an object");
    @SuppressWarnings("unchecked")
    Map<String, Object> m = Json.MAPPER.convertValue(v, LinkedHashMap.class);
    return m;
  }

  public ApiException wrongType(String field, String expected) {
    return ApiException.invalid(path(field), path(field) + " must be " + expected + ", got "
        + describe(node.get(field)));
  }

  private static String describe(JsonNode v) {
    if (v.isTextual()) return "the string " + v;
    if (v.isNumber() || v.isBoolean()) return v.toString();
    return v.getNodeType().name().toLowerCase();
  }
}

package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads typed fields of tokenizer.json components, failing with the component path in the message. */
public final class JsonFields {
  private JsonFields() {}

  public static String type(JsonNode node, String where) {
    return string(node, "type", where);
  }

  public static String string(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new TokenizerException(where + ": field '" + field + "' must be a string");
    }
    return v.asText();
  }

  public static String optString(JsonNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  public static boolean bool(JsonNode node, String field, boolean fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asBoolean();
  }

  public static int integer(JsonNode node, String field, int fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asInt();
  }

  public static JsonNode array(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new TokenizerException(where + ": field '" + field + "' must be an array");
    }
    return v;
  }

  public static JsonNode object(JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new TokenizerException(where + ": field '" + field + "' must be an object");
    }
    return v;
  }

  public static TokenizerException unknownType(String kind, String type, String where) {
    return new TokenizerException(where + ": unknown " + kind + " type '" + type + "'");
  }
}

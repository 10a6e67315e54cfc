package dev.barista.server.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON helpers shared by the parsers: one call object into a ToolCall. */
final class ToolArguments {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ToolArguments() {}

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * A call object {"name": ..., argumentsField: {...}} as a ToolCall; arguments are re-serialized
   * compactly (a string value is kept as given). Null when the object is not a call.
   */
  static ToolCall toCall(JsonNode call, String... argumentFields) {
    if (call == null || !call.isObject() || !call.path("name").isTextual()) return null;
    JsonNode args = null;
    for (String field : argumentFields) {
      if (call.has(field)) {
        args = call.get(field);
        break;
      }
    }
    String arguments;
    if (args == null || args.isNull()) arguments = "{}";
    else if (args.isTextual()) arguments = args.asText();
    else arguments = args.toString();
    return new ToolCall(call.get("name").asText(), arguments);
  }

  /** Length of the longest suffix of {@code text} that is a proper prefix of {@code marker}. */
  static int partialMarkerSuffix(String text, String marker) {
    int max = Math.min(marker.length() - 1, text.length());
    for (int len = max; len > 0; len--) {
      if (text.regionMatches(text.length() - len, marker, 0, len)) return len;
    }
    return 0;
  }
}

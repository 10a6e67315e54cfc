package dev.barista.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a chat request's messages and tools into the plain maps a chat template reads. */
final class ChatRequestReader {
  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant",
      "tool");

  private ChatRequestReader() {}

  static List<Map<String, Object>> messages(RequestFields f) {
    List<RequestFields> list = f.objectList("messages");
    if (list == null || list.isEmpty()) {
      throw ApiException.invalid("messages", "messages must be a non-empty array");
    }
    List<Map<String, Object>> out = new ArrayList<>(list.size());
    for (RequestFields m : list) out.add(message(m));
    return out;
  }

  private static Map<String, Object> message(RequestFields m) {
    String role = m.requiredString("role");
    if (!ROLES.contains(role)) {
      throw ApiException.invalid(m.path("role"), m.path("role") + " must be one of " + ROLES
          + ", got '" + role + "'");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("role", role);
    String content = content(m);
    if (content == null && !role.equals("assistant")) {
      throw ApiException.invalid(m.path("content"), m.path("content") + " is required");
    }
    // An assistant turn with only tool calls has no content; templates test it as a string.
    out.put("content", content == null ? "" : content);
    String name = m.string("name");
    if (name != null) out.put("name", name);
    String toolCallId = m.string("tool_call_id");
    if (toolCallId != null) out.put("tool_call_id", toolCallId);
    String reasoning = m.string("reasoning_content");
    if (reasoning != null) out.put("reasoning_content", reasoning);
    List<RequestFields> calls = m.objectList("tool_calls");
    if (calls != null) out.put("tool_calls", toolCalls(calls));
    return out;
  }

  /** A string, or text parts joined by newlines; other part types are refused. */
  private static String content(RequestFields m) {
    JsonNode c = m.raw("content");
    if (c == null) return null;
    if (c.isTextual()) return c.asText();
    if (!c.isArray()) throw m.wrongType("content", "a string or an array of content parts");
    List<String> texts = new ArrayList<>();
    for (RequestFields part : m.objectList("content")) {
      String type = part.requiredString("type");
      if (!type.equals("text")) {
        throw ApiException.invalid(part.path("type"), "content part type '" + type
            + "' is not supported by this model; only 'text'");
      }
      texts.add(part.requiredString("text"));
    }
    return String.join("\n", texts);
  }

  /** Assistant tool calls, with JSON-string arguments turned into objects as templates expect. */
  private static List<Map<String, Object>> toolCalls(List<RequestFields> calls) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RequestFields call : calls) {
      RequestFields fn = call.object("function");
      if (fn == null) throw ApiException.invalid(call.path("function"), "function is required");
      Map<String, Object> function = new LinkedHashMap<>();
      function.put("name", fn.requiredString("name"));
      JsonNode args = fn.raw("arguments");
      Object parsed = args == null ? Map.of() : Json.MAPPER.convertValue(args, Object.class);
      if (args != null && args.isTextual()) {
        try {
          parsed = Json.MAPPER.readValue(args.asText(), Object.class);
        } catch (Exception notJson) {
          parsed = args.asText();
        }
      }
      function.put("arguments", parsed);
      Map<String, Object> c = new LinkedHashMap<>();
      String id = call.string("id");
      if (id != null) c.put("id", id);
      c.put("type", "function");
      c.put("function", function);
      out.add(c);
    }
    return out;
  }

  /** tools: [{"type": "function", "function": {"name", "description", "parameters"}}]. */
  static List<Map<String, Object>> tools(RequestFields f) {
    List<RequestFields> list = f.objectList("tools");
    if (list == null) return null;
    List<Map<String, Object>> out = new ArrayList<>();
    for (RequestFields t : list) {
      String type = t.string("type");
      if (type != null && !type.equals("function")) {
        throw ApiException.invalid(t.path("type"), "only tools of type 'function' are supported");
      }
      RequestFields fn = t.object("function");
      if (fn == null) throw ApiException.invalid(t.path("function"), t.path("function")
          + " is required");
      fn.requiredString("name");
      @SuppressWarnings("unchecked")
      Map<String, Object> m = Json.MAPPER.convertValue((ObjectNode) t.node(), LinkedHashMap.class);
      m.putIfAbsent("type", "function");
      out.add(m);
    }
    return out;
  }
}

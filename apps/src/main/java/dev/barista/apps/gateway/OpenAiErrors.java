package dev.barista.apps.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Error bodies in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
public final class OpenAiErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiErrors() {}

  public static byte[] body(int status, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", message);
    e.put("type", type(status));
    e.putNull("param");
    e.put("code", code(status));
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String type(int status) {
    return switch (status) {
      case 401, 403 -> "authentication_error";
      case 404 -> "not_found_error";
      case 429, 503 -> "service_unavailable_error";
      case 500, 502, 504 -> "server_error";
      default -> "invalid_request_error";
    };
  }

  private static String code(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "not_found";
      case 413 -> "request_too_large";
      case 503 -> "service_unavailable";
      case 504 -> "timeout";
      case 502 -> "bad_gateway";
      default -> Integer.toString(status);
    };
  }
}

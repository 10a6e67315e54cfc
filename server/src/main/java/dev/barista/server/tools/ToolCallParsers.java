package dev.barista.server.tools;

import java.util.List;

/** The parsers selectable with --tool-call-parser, by vLLM's names. */
public final class ToolCallParsers {
  private ToolCallParsers() {}

  public static final List<String> NAMES = List.of("hermes", "llama3_json");

  public static ToolCallParser byName(String name) {
    return switch (name) {
      case "hermes" -> new HermesToolCallParser();
      case "llama3_json" -> new Llama3JsonToolCallParser();
      default -> throw new IllegalArgumentException("unknown --tool-call-parser '" + name
          + "'; choose one of " + String.join(", ", NAMES));
    };
  }
}

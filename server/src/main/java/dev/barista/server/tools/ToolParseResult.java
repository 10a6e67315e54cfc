package dev.barista.server.tools;

import java.util.List;

/**
 * What a model's output says once tool calls are taken out.
 *
 * @param content the text meant for the user, or null when there is none
 * @param calls the tool calls, in order; empty when the model called none
 */
public record ToolParseResult(String content, List<ToolCall> calls) {
  public static ToolParseResult textOnly(String text) {
    return new ToolParseResult(text, List.of());
  }

  public boolean calledTools() {
    return !calls.isEmpty();
  }
}

package dev.barista.server.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Hermes / Qwen style: each call is {"name": ..., "arguments": {...}} between {@code <tool_call>}
 * and {@code </tool_call>}; text before the first call is content. An unclosed last call (output
 * cut by max_tokens) is still parsed when its JSON is complete.
 */
public final class HermesToolCallParser implements ToolCallParser {
  static final String START = "<tool_call>";
  static final String END = "</tool_call>";

  @Override
  public ToolParseResult parse(String output) {
    int first = output.indexOf(START);
    if (first < 0) return ToolParseResult.textOnly(output);
    List<ToolCall> calls = new ArrayList<>();
    int pos = first;
    while (pos >= 0) {
      int bodyStart = pos + START.length();
      int end = output.indexOf(END, bodyStart);
      String body = end < 0 ? output.substring(bodyStart) : output.substring(bodyStart, end);
      ToolCall call = ToolArguments.toCall(ToolArguments.parse(body.strip()), "arguments");
      if (call == null) return ToolParseResult.textOnly(output);
      calls.add(call);
      if (end < 0) break;
      pos = output.indexOf(START, end + END.length());
    }
    String content = output.substring(0, first);
    return new ToolParseResult(content.isBlank() ? null : content, List.copyOf(calls));
  }

  @Override
  public int callStart(String outputSoFar) {
    return outputSoFar.indexOf(START);
  }

  @Override
  public int heldBackSuffix(String outputSoFar) {
    return ToolArguments.partialMarkerSuffix(outputSoFar, START);
  }
}

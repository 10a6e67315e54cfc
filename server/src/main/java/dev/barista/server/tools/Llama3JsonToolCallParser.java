package dev.barista.server.tools;

import java.util.ArrayList;
import java.util.List;

/**
 * Llama 3.x JSON style: the whole output is one or more {"name": ..., "parameters": {...}} objects
 * (optionally after {@code <|python_tag|>}, several separated by ';'). Output that does not start
 * that way, or does not parse, is plain content.
 */
public final class Llama3JsonToolCallParser implements ToolCallParser {
  static final String PYTHON_TAG = "<|python_tag|>";

  @Override
  public ToolParseResult parse(String output) {
    String body = output.strip();
    if (body.startsWith(PYTHON_TAG)) body = body.substring(PYTHON_TAG.length()).strip();
    if (!body.startsWith("{")) return ToolParseResult.textOnly(output);
    List<String> objects = topLevelObjects(body);
    if (objects == null) return ToolParseResult.textOnly(output);
    List<ToolCall> calls = new ArrayList<>();
    for (String json : objects) {
      ToolCall call = ToolArguments.toCall(ToolArguments.parse(json), "parameters", "arguments");
      if (call == null) return ToolParseResult.textOnly(output);
      calls.add(call);
    }
    return new ToolParseResult(null, List.copyOf(calls));
  }

  /**
   * Splits "{...}; {...}" into its objects, honouring strings and escapes; null when anything but
   * whitespace or ';' lies between objects or an object is left open.
   */
  static List<String> topLevelObjects(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        if (depth == 0) return null;
        inString = true;
      } else if (c == '{') {
        if (depth++ == 0) start = i;
      } else if (c == '}') {
        if (--depth == 0) out.add(s.substring(start, i + 1));
        if (depth < 0) return null;
      } else if (depth == 0 && !Character.isWhitespace(c) && c != ';') {
        return null;
      }
    }
    return depth == 0 && !out.isEmpty() ? out : null;
  }

  @Override
  public int callStart(String outputSoFar) {
    // The whole output is the call (leading whitespace included): none of it is content.
    String stripped = outputSoFar.stripLeading();
    return stripped.startsWith("{") || stripped.startsWith(PYTHON_TAG) ? 0 : -1;
  }

  @Override
  public int heldBackSuffix(String outputSoFar) {
    // Only the very beginning of the output can open a call: hold back while that is undecided.
    String stripped = outputSoFar.stripLeading();
    if (stripped.isEmpty() || PYTHON_TAG.startsWith(stripped)) return outputSoFar.length();
    return 0;
  }
}

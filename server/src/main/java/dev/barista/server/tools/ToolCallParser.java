package dev.barista.server.tools;

/**
 * Extracts tool calls from a model's raw output text (vLLM's --tool-call-parser). A streaming
 * response shows text up to {@link #callStart(String)} as content and parses the rest at the end.
 */
public interface ToolCallParser {

  /** Splits a finished output into content and tool calls; malformed calls stay as content. */
  ToolParseResult parse(String output);

  /**
   * Where tool-call syntax begins in the text generated so far, or -1 when none has begun. A
   * streaming response may show everything before this position.
   */
  int callStart(String outputSoFar);

  /** The longest suffix of {@code outputSoFar} that could still grow into a call's start marker. */
  int heldBackSuffix(String outputSoFar);
}

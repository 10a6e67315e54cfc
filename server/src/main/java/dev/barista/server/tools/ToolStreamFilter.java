package dev.barista.server.tools;

/**
 * Streams one completion's text while keeping tool-call syntax out of the content: text before a
 * call's start marker is shown at once, a possible partial marker is held back, and everything
 * from the marker on is parsed when the completion ends.
 */
public final class ToolStreamFilter {
  private final ToolCallParser parser;
  private final StringBuilder full = new StringBuilder();
  private int emitted;
  private boolean inCall;

  public ToolStreamFilter(ToolCallParser parser) {
    this.parser = parser;
  }

  /** Adds generated text; returns the part that may be shown as content now (maybe empty). */
  public String add(String delta) {
    full.append(delta);
    if (inCall) return "";
    String text = full.toString();
    int start = parser.callStart(text);
    int safeEnd;
    if (start >= 0) {
      inCall = true;
      safeEnd = start;
    } else {
      safeEnd = text.length() - parser.heldBackSuffix(text);
    }
    if (safeEnd <= emitted) return "";
    String out = text.substring(emitted, safeEnd);
    emitted = safeEnd;
    return out;
  }

  /** At the end: the content not shown yet (maybe empty) and the parsed calls. */
  public ToolParseResult finish() {
    String text = full.toString();
    if (inCall) {
      ToolParseResult parsed = parser.parse(text);
      if (parsed.calledTools()) return new ToolParseResult("", parsed.calls());
    }
    String rest = text.substring(emitted);
    emitted = text.length();
    return ToolParseResult.textOnly(rest);
  }
}

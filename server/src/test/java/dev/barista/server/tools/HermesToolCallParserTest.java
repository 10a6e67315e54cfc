package dev.barista.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class HermesToolCallParserTest {
  private final HermesToolCallParser parser = new HermesToolCallParser();

  @Test
  void contentBeforeOneCall() {
    ToolParseResult r = parser.parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", "
        + "\"arguments\": {\"city\": \"Paris\", \"unit\": \"c\"}}\n</tool_call>");
    assertEquals("Let me check.\n", r.content());
    assertEquals(List.of(new ToolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}")),
        r.calls());
  }

  @Test
  void twoCallsAndNoContent() {
    ToolParseResult r = parser.parse("<tool_call>{\"name\": \"a\", \"arguments\": {}}</tool_call>"
        + "\n<tool_call>{\"name\": \"b\", \"arguments\": {\"x\": [1, 2]}}</tool_call>");
    assertNull(r.content());
    assertEquals(List.of(new ToolCall("a", "{}"), new ToolCall("b", "{\"x\":[1,2]}")), r.calls());
  }

  @Test
  void unclosedLastCallWithCompleteJsonStillParses() {
    ToolParseResult r = parser.parse("<tool_call>{\"name\": \"a\", \"arguments\": {\"k\": 1}}");
    assertEquals(List.of(new ToolCall("a", "{\"k\":1}")), r.calls());
  }

  @Test
  void malformedCallStaysContent() {
    String text = "<tool_call>{\"name\": \"a\", \"arguments\": {</tool_call>";
    ToolParseResult r = parser.parse(text);
    assertFalse(r.calledTools());
    assertEquals(text, r.content());
  }

  @Test
  void plainTextHasNoCalls() {
    ToolParseResult r = parser.parse("The weather is nice.");
    assertEquals("The weather is nice.", r.content());
    assertFalse(r.calledTools());
  }

  @Test
  void argumentsGivenAsStringAreKept() {
    ToolParseResult r = parser.parse("<tool_call>{\"name\": \"a\", \"arguments\": \"{\\\"q\\\": 1}\"}"
        + "</tool_call>");
    assertEquals("{\"q\": 1}", r.calls().get(0).arguments());
  }
}

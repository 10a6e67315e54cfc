package dev.barista.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class Llama3JsonToolCallParserTest {
  private final Llama3JsonToolCallParser parser = new Llama3JsonToolCallParser();

  @Test
  void oneCallWithParameters() {
    ToolParseResult r = parser.parse(
        "{\"name\": \"get_weather\", \"parameters\": {\"city\": \"San Francisco, {CA}\"}}");
    assertNull(r.content());
    assertEquals(List.of(new ToolCall("get_weather", "{\"city\":\"San Francisco, {CA}\"}")),
        r.calls());
  }

  @Test
  void pythonTagAndTwoCallsSeparatedBySemicolon() {
    ToolParseResult r = parser.parse("<|python_tag|>{\"name\": \"a\", \"parameters\": {\"x\": 1}}; "
        + "{\"name\": \"b\", \"arguments\": {}}");
    assertEquals(List.of(new ToolCall("a", "{\"x\":1}"), new ToolCall("b", "{}")), r.calls());
  }

  @Test
  void textIsContent() {
    ToolParseResult r = parser.parse("Hello {not a call}");
    assertFalse(r.calledTools());
    assertEquals("Hello {not a call}", r.content());
  }

  @Test
  void objectWithoutNameIsContent() {
    String text = "{\"answer\": 42}";
    ToolParseResult r = parser.parse(text);
    assertFalse(r.calledTools());
    assertEquals(text, r.content());
  }

  @Test
  void truncatedJsonIsContent() {
    String text = "{\"name\": \"a\", \"parameters\": {\"x\": 1}";
    assertEquals(text, parser.parse(text).content());
  }
}

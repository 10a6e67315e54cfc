package dev.barista.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolStreamFilterTest {

  @Test
  void showsTextBeforeTheMarkerAndHoldsBackAPartialOne() {
    ToolStreamFilter f = new ToolStreamFilter(new HermesToolCallParser());
    assertEquals("Sure", f.add("Sure"));
    assertEquals(" ", f.add(" <tool")); // "<tool" might begin a call: held back
    assertEquals("", f.add("_call>{\"name\": \"f\", "));
    assertEquals("", f.add("\"arguments\": {\"a\": 1}}</tool_call>"));
    ToolParseResult end = f.finish();
    assertEquals("", end.content());
    assertEquals(List.of(new ToolCall("f", "{\"a\":1}")), end.calls());
  }

  @Test
  void aHeldBackPrefixThatIsNotAMarkerIsReleased() {
    ToolStreamFilter f = new ToolStreamFilter(new HermesToolCallParser());
    assertEquals("a ", f.add("a <to"));
    assertEquals("<toy> b", f.add("y> b"));
    assertEquals("", f.finish().content());
  }

  @Test
  void malformedCallIsReleasedAsContentAtTheEnd() {
    ToolStreamFilter f = new ToolStreamFilter(new HermesToolCallParser());
    assertEquals("x", f.add("x<tool_call>{oops"));
    ToolParseResult end = f.finish();
    assertEquals("<tool_call>{oops", end.content());
    assertEquals(List.of(), end.calls());
  }

  @Test
  void llamaJsonIsHeldFromTheFirstBrace() {
    ToolStreamFilter f = new ToolStreamFilter(new Llama3JsonToolCallParser());
    assertEquals("", f.add(" "));
    assertEquals("", f.add("{\"name\": \"g\", \"parameters\": {}}"));
    assertEquals(List.of(new ToolCall("g", "{}")), f.finish().calls());
  }

  @Test
  void llamaPlainTextFlowsAfterTheFirstCharacter() {
    ToolStreamFilter f = new ToolStreamFilter(new Llama3JsonToolCallParser());
    assertEquals("Hi", f.add("Hi"));
    assertEquals(" there", f.add(" there"));
    assertEquals("", f.finish().content());
  }
}

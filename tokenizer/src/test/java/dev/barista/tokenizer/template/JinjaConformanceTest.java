package dev.barista.tokenizer.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Template features checked against Python Jinja2 3.1 configured as transformers configures it
 * (resources/templates/generate_cases.py wrote the expected outputs and errors).
 */
class JinjaConformanceTest {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  @Test
  void everyCaseMatchesPythonJinja() {
    List<String> failures = new ArrayList<>();
    List<JsonNode> cases = Fixtures.jsonl("templates/jinja_cases.jsonl");
    for (JsonNode c : cases) {
      String name = c.get("name").asText();
      try {
        check(c);
      } catch (AssertionError | RuntimeException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures, failures.size() + " of " + cases.size() + " cases differ");
  }

  private static void check(JsonNode c) {
    String source = c.get("template").asText();
    Map<String, Object> vars = Fixtures.JSON.convertValue(c.get("vars"), MAP);
    if (c.has("rendered")) {
      assertEquals(c.get("rendered").asText(), ChatTemplate.compile(source).render(vars));
      return;
    }
    String kind = c.get("error_kind").asText();
    String expected = c.get("error").asText();
    switch (kind) {
      case "syntax" -> {
        TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.compile(source));
        assertEquals(c.get("line").asInt(), e.line(), "line of " + e.getMessage());
        assertTrue(e.column() > 0, "column of " + e.getMessage());
      }
      case "raised" -> {
        ChatTemplate t = ChatTemplate.compile(source);
        TemplateRaisedException e = assertThrows(TemplateRaisedException.class, () -> t.render(vars));
        assertEquals(expected, e.templateMessage());
      }
      default -> {
        ChatTemplate t = ChatTemplate.compile(source);
        TemplateException e = assertThrows(TemplateException.class, () -> t.render(vars));
        assertEquals(expected, e.getMessage());
      }
    }
  }
}

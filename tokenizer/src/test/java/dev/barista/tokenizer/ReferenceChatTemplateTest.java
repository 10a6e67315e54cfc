package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tokenizers' own chat templates render byte-identically to transformers' apply_chat_template. */
class ReferenceChatTemplateTest {
  private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3_1"})
  void rendersLikeTransformers(String family) {
    Tokenizer tok = Fixtures.tokenizer(family);
    List<JsonNode> cases = Fixtures.jsonl("reference/chat_templates/" + family + ".jsonl");
    assertEquals(9, cases.size());
    for (JsonNode c : cases) {
      List<Map<String, Object>> messages = Fixtures.JSON.convertValue(c.get("messages"), LIST);
      List<Map<String, Object>> tools = c.get("tools").isNull() ? null : Fixtures.JSON.convertValue(c.get("tools"), LIST);
      Map<String, Object> kwargs = new LinkedHashMap<>(Fixtures.JSON.convertValue(c.get("kwargs"), Map.class));
      boolean addGenerationPrompt = (Boolean) kwargs.remove("add_generation_prompt");
      if (c.has("error")) {
        TemplateException e = assertThrows(TemplateException.class,
            () -> tok.applyChatTemplate(messages, tools, addGenerationPrompt, kwargs));
        assertEquals(c.get("error").asText(), e.getMessage());
      } else {
        assertEquals(c.get("rendered").asText(), tok.applyChatTemplate(messages, tools, addGenerationPrompt, kwargs),
            family + " " + c.get("messages"));
      }
    }
  }
}

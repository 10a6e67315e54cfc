package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.template.ChatTemplate;
import dev.barista.tokenizer.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tokenizers' own chat templates render byte-identically to transformers' apply_chat_template. */
class ReferenceChatTemplateTest {
  private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

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

  /**
   * The chat templates of other families on 24 conversations (system/user/assistant/tool roles,
   * tools, tool calls with dict and string arguments, content parts, kwargs), each rendered or
   * failed by Python Jinja2 set up as transformers sets it up (xcheck/render_chat_templates.py).
   */
  @ParameterizedTest
  @ValueSource(strings = {"mistral_nemo", "chatglm3", "deepseek_v3", "internlm2", "qwen2_5"})
  void rendersCrossCheckedTemplatesLikeJinja2(String family) {
    String dir = "xcheck/" + family;
    TokenizerConfig config = TokenizerConfig.fromJson(Fixtures.json(dir + "/tokenizer_config.json"), family);
    List<JsonNode> cases = Fixtures.jsonl(dir + "/chat_templates.jsonl");
    assertEquals(24, cases.size());
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      ChatTemplate template = ChatTemplate.compile(config.chatTemplates().get(c.get("template").asText()), config.templateVariables());
      List<Map<String, Object>> messages = Fixtures.JSON.convertValue(c.get("messages"), LIST);
      List<Map<String, Object>> tools = c.get("tools").isNull() ? null : Fixtures.JSON.convertValue(c.get("tools"), LIST);
      Map<String, Object> kwargs = Fixtures.JSON.convertValue(c.get("chat_template_kwargs"), MAP);
      String expected = c.has("rendered") ? c.get("rendered").asText() : "error: " + c.get("error").asText();
      String actual;
      try {
        actual = template.apply(messages, tools, c.get("add_generation_prompt").asBoolean(), kwargs);
      } catch (TemplateException e) {
        actual = "error: " + e.getMessage();
      }
      if (!expected.equals(actual)) failures.add(c.get("name").asText() + ": expected <" + expected + "> but was <" + actual + ">");
    }
    assertEquals(List.of(), failures);
  }
}

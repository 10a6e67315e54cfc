package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.barista.tokenizer.template.TemplateException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which template is used, as transformers chooses: named list, tool_use with tools, template files. */
class ChatTemplateSelectionTest {
  private static final String TOKENIZER = "{\"model\": {\"type\": \"WordLevel\", \"unk_token\": \"u\", \"vocab\": {\"u\": 0}}}";
  private static final List<Map<String, Object>> CHAT = List.of(Map.of("role", "user", "content", "hi"));
  private static final List<Map<String, Object>> TOOLS = List.of(Map.of("type", "function"));

  @Test
  void namedTemplatesFromConfig(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    Files.writeString(dir.resolve("tokenizer_config.json"), """
        {"bos_token": {"content": "<s>", "special": true}, "additional_special_tokens": ["<x>", "<y>"],
         "chat_template": [{"name": "default", "template": "D{{ bos_token }}{{ messages[0].content }}"},
                           {"name": "tool_use", "template": "T{{ tools|length }}{{ additional_special_tokens|join }}"},
                           {"name": "broken", "template": "{% if %}"}]}""");
    Tokenizer t = Tokenizer.fromDirectory(dir);
    assertEquals("D<s>hi", t.applyChatTemplate(CHAT, null, false, Map.of()));
    assertEquals("T1<x><y>", t.applyChatTemplate(CHAT, TOOLS, false, Map.of()));
    assertEquals(List.of("default", "tool_use", "broken"), t.chatTemplateNames());
    assertThrows(TemplateException.class, () -> t.chatTemplate("broken"), "a broken template fails when used, not at load");
  }

  @Test
  void templateFilesWinOverTheConfig(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"config\"}");
    Files.writeString(dir.resolve("chat_template.jinja"), "file {{ add_generation_prompt }}\n");
    Files.createDirectories(dir.resolve("additional_chat_templates"));
    Files.writeString(dir.resolve("additional_chat_templates/tool_use.jinja"), "tools");
    Tokenizer t = Tokenizer.fromDirectory(dir);
    assertEquals("file True", t.applyChatTemplate(CHAT, null, true, Map.of()));
    assertEquals("tools", t.applyChatTemplate(CHAT, TOOLS, true, Map.of()));
  }

  @Test
  void legacyChatTemplateJson(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), TOKENIZER);
    Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"json {{ messages|length }}\"}");
    assertEquals("json 1", Tokenizer.fromDirectory(dir).applyChatTemplate(CHAT, null, false, null));
  }
}

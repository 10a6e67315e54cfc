package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.tokenizer.template.ChatTemplate;
import dev.barista.tokenizer.template.TemplateException;
import dev.barista.tokenizer.template.TemplateRaisedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files and bad input fail with typed exceptions whose messages name the problem. */
class BadInputTest {
  private static final String MODEL = "'model': {'type': 'WordLevel', 'unk_token': 'u', 'vocab': {'u': 0}}";

  private static TokenizerException fails(String json) {
    return assertThrows(TokenizerException.class, () -> Tokenizer.fromJson(json.replace('\'', '"'), null));
  }

  @Test
  void malformedJsonNamesTheFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": ");
    TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromDirectory(dir));
    assertTrue(e.getMessage().contains("tokenizer.json: malformed JSON"), e.getMessage());
  }

  @Test
  void unknownComponentTypesAreNamed() {
    assertEquals("tokenizer.json normalizer: unknown normalizer type 'Frobnicate'",
        fails("{'normalizer': {'type': 'Frobnicate'}, " + MODEL + "}").getMessage());
    assertEquals("tokenizer.json pre_tokenizer[1]: unknown pre_tokenizer type 'Nope'", fails(
        "{'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [{'type': 'Whitespace'}, {'type': 'Nope'}]}, " + MODEL + "}").getMessage()
        .replace(" (Sequence)", ""));
    assertEquals("tokenizer.json model: unknown model type 'Magic'", fails("{'model': {'type': 'Magic'}}").getMessage());
    assertTrue(fails("{'decoder': {'type': 'Rot13'}, " + MODEL + "}").getMessage().contains("unknown decoder type 'Rot13'"));
    assertTrue(fails("{'post_processor': {'type': 'Wrap'}, " + MODEL + "}").getMessage().contains("unknown post_processor type 'Wrap'"));
  }

  @Test
  void brokenModelsAreExplained() {
    assertTrue(fails("{}").getMessage().contains("model: missing"));
    assertTrue(fails("{'model': {'type': 'BPE', 'vocab': {'a': 0}, 'merges': ['a b']}}").getMessage()
        .contains("merge #0 uses a token missing from the vocab"));
    assertTrue(fails("{'model': {'type': 'WordPiece', 'vocab': {'a': 0}}}").getMessage().contains("unk_token '[UNK]' is not in the vocab"));
    assertTrue(fails("{'pre_tokenizer': {'type': 'Split', 'pattern': {'Regex': '(unclosed'}, 'behavior': 'Isolated'}, " + MODEL + "}")
        .getMessage().contains("invalid regex"));
  }

  @Test
  void unpairedSurrogatesAreRejected() {
    Tokenizer t = Fixtures.tokenizer("qwen3");
    TokenizerException e = assertThrows(TokenizerException.class, () -> t.encode("ok \uD83E then", false));
    assertTrue(e.getMessage().contains("unpaired UTF-16 surrogate U+D83E at index 3"), e.getMessage());
    assertThrows(TokenizerException.class, () -> t.encode("\uDC00", false));
    assertEquals(1, t.encode("🤗", false).length > 0 ? 1 : 0, "a proper pair is fine");
  }

  @Test
  void templateSyntaxErrorHasLineAndColumn() {
    TemplateException e = assertThrows(TemplateException.class,
        () -> ChatTemplate.compile("{% for m in messages %}\n{{ m.content }}\n{% if %}\n{% endfor %}"));
    assertEquals(3, e.line());
    assertEquals(7, e.column());
    assertTrue(e.getMessage().contains("line 3, column 7"), e.getMessage());
  }

  @Test
  void raiseExceptionCarriesTheTemplatesMessage() {
    ChatTemplate t = ChatTemplate.compile(
        "{% if messages[0].role != 'user' %}{{ raise_exception('First message must be from the user, got ' + messages[0].role) }}{% endif %}ok");
    TemplateRaisedException e = assertThrows(TemplateRaisedException.class,
        () -> t.apply(List.of(Map.of("role", "assistant", "content", "x")), null, false, Map.of()));
    assertEquals("First message must be from the user, got assistant", e.templateMessage());
    assertEquals("ok", t.apply(List.of(Map.of("role", "user", "content", "x")), null, false, Map.of()));
  }

  @Test
  void continueFinalMessageStopsAfterItsContent() {
    Tokenizer t = Fixtures.tokenizer("qwen3");
    List<Map<String, Object>> chat = List.of(
        Map.of("role", "user", "content", "Hi"), Map.of("role", "assistant", "content", "Hello, I"));
    String out = t.selectChatTemplate(null, false).apply(chat, null, false, true, Map.of());
    assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nHello, I", out);
    assertThrows(TemplateException.class, () -> t.selectChatTemplate(null, false).apply(chat, null, true, true, Map.of()));
  }

  /** transformers keeps the final message's trailing whitespace when the template rendered it verbatim. */
  @Test
  void continueFinalMessageKeepsTrailingWhitespaceTheTemplateKept() {
    ChatTemplate verbatim = ChatTemplate.compile("{% for m in messages %}[{{ m.content }}]{% endfor %}");
    ChatTemplate trimmed = ChatTemplate.compile("{% for m in messages %}[{{ m.content | trim }}]{% endfor %}");
    List<Map<String, Object>> trailing = List.of(Map.of("role", "assistant", "content", "Hello "));
    List<Map<String, Object>> leading = List.of(Map.of("role", "assistant", "content", " Hi "));
    assertEquals("[Hello ", verbatim.apply(trailing, null, false, true, Map.of()));
    assertEquals("[Hello", trimmed.apply(trailing, null, false, true, Map.of()));
    assertEquals("[ Hi", verbatim.apply(leading, null, false, true, Map.of()), "leading whitespace: cut at the stripped end");
  }

  @Test
  void missingNamedTemplateIsExplained() {
    TokenizerException e = assertThrows(TokenizerException.class, () -> Fixtures.tokenizer("qwen3").selectChatTemplate("tool_use", true));
    assertTrue(e.getMessage().contains("chat template 'tool_use' not found"), e.getMessage());
    assertThrows(TokenizerException.class, () -> Fixtures.tokenizer("llama2").applyChatTemplate(List.of(), null, true, Map.of()));
  }
}

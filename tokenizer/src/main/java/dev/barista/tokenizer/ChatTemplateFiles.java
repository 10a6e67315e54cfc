package dev.barista.tokenizer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where transformers keeps chat templates besides tokenizer_config.json: chat_template.jinja (newest),
 * chat_template.json ({"chat_template": ...}, older) and additional_chat_templates/NAME.jinja.
 * A template file wins over the config's template of the same name.
 */
final class ChatTemplateFiles {
  private ChatTemplateFiles() {}

  static Map<String, String> read(Path dir, Map<String, String> fromConfig) {
    Map<String, String> out = new LinkedHashMap<>(fromConfig);
    Path jinja = dir.resolve("chat_template.jinja");
    Path json = dir.resolve("chat_template.json");
    if (Files.exists(jinja)) {
      out.put("default", text(jinja));
    } else if (Files.exists(json)) {
      try {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text(json));
        out.putAll(TokenizerConfig.chatTemplates(node.get("chat_template"), json.toString()));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new TokenizerException(json + ": malformed JSON: " + e.getOriginalMessage(), e);
      }
    }
    Path extra = dir.resolve("additional_chat_templates");
    if (Files.isDirectory(extra)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(extra, "*.jinja")) {
        for (Path f : files) out.put(f.getFileName().toString().replaceFirst("\\.jinja$", ""), text(f));
      } catch (IOException e) {
        throw new TokenizerException(extra + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static String text(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new TokenizerException(p + ": " + e.getMessage(), e);
    }
  }
}

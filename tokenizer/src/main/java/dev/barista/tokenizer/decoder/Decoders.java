package dev.barista.tokenizer.decoder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TextPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the decoder of tokenizer.json's "decoder" section (null when absent). */
public final class Decoders {
  private Decoders() {}

  public static Decoder fromJson(JsonNode node, String where) {
    if (node == null || node.isNull()) return null;
    String type = JsonFields.type(node, where);
    String here = where + " (" + type + ")";
    return switch (type) {
      case "ByteLevel" -> new ByteLevelDecoder();
      case "ByteFallback" -> new ByteFallbackDecoder();
      case "Fuse" -> tokens -> List.of(String.join("", tokens));
      case "Strip" -> strip(JsonFields.string(node, "content", here), JsonFields.integer(node, "start", 0), JsonFields.integer(node, "stop", 0));
      case "Replace" -> replace(TextPattern.fromJson(node.get("pattern"), here), JsonFields.string(node, "content", here));
      case "Metaspace" -> metaspace(node);
      case "WordPiece" -> new WordPieceDecoder(JsonFields.optString(node, "prefix", "##"), JsonFields.bool(node, "cleanup", true));
      case "BPEDecoder" -> bpe(JsonFields.optString(node, "suffix", "</w>"));
      case "CTC" -> new CtcDecoder(JsonFields.optString(node, "pad_token", "<pad>"),
          JsonFields.optString(node, "word_delimiter_token", "|"), JsonFields.bool(node, "cleanup", true));
      case "Sequence" -> sequence(JsonFields.array(node, "decoders", here), here);
      default -> throw JsonFields.unknownType("decoder", type, where);
    };
  }

  private static Decoder strip(String content, int start, int stop) {
    char c = content.isEmpty() ? '\0' : content.charAt(0);
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        int from = 0;
        int to = t.length();
        while (from < start && from < to && t.charAt(from) == c) from++;
        int cut = 0;
        while (cut < stop && to > from && t.charAt(to - 1) == c) {
          to--;
          cut++;
        }
        out.add(t.substring(from, to));
      }
      return out;
    };
  }

  private static Decoder replace(Pattern pattern, String content) {
    String replacement = Matcher.quoteReplacement(content);
    return tokens -> tokens.stream().map(t -> pattern.matcher(t).replaceAll(replacement)).toList();
  }

  private static Decoder metaspace(JsonNode node) {
    String replacement = JsonFields.optString(node, "replacement", "\u2581");
    String scheme = node.hasNonNull("prepend_scheme")
        ? node.get("prepend_scheme").asText()
        : JsonFields.bool(node, "add_prefix_space", true) ? "always" : "never";
    boolean stripFirst = !scheme.equals("never");
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        // Hugging Face drops every replacement character of the first token, not just a leading one.
        out.add(tokens.get(i).replace(replacement, i == 0 && stripFirst ? "" : " "));
      }
      return out;
    };
  }

  private static Decoder bpe(String suffix) {
    return tokens -> {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
      }
      return out;
    };
  }

  private static Decoder sequence(JsonNode list, String where) {
    List<Decoder> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Decoder d = fromJson(list.get(i), where + "[" + i + "]");
      if (d != null) parts.add(d);
    }
    return tokens -> {
      for (Decoder d : parts) tokens = d.decodeChain(tokens);
      return tokens;
    };
  }
}

package dev.barista.tokenizer.normalizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TextPattern;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the normalizer of tokenizer.json's "normalizer" section (null when absent). */
public final class Normalizers {
  private Normalizers() {}

  public static Normalizer fromJson(JsonNode node, String where) {
    if (node == null || node.isNull()) return null;
    String type = JsonFields.type(node, where);
    String here = where + " (" + type + ")";
    return switch (type) {
      case "NFC" -> unicode(Form.NFC);
      case "NFD" -> unicode(Form.NFD);
      case "NFKC" -> unicode(Form.NFKC);
      case "NFKD" -> unicode(Form.NFKD);
      case "Lowercase" -> s -> s.toLowerCase(Locale.ROOT);
      case "StripAccents" -> new StripAccents();
      case "Strip" -> strip(JsonFields.bool(node, "left", true), JsonFields.bool(node, "right", true));
      case "Prepend" -> prepend(JsonFields.string(node, "prepend", here));
      case "Replace" -> replace(TextPattern.fromJson(node.get("pattern"), here), JsonFields.string(node, "content", here));
      case "BertNormalizer" -> new BertNormalizer(
          JsonFields.bool(node, "clean_text", true),
          JsonFields.bool(node, "handle_chinese_chars", true),
          node.hasNonNull("strip_accents") ? node.get("strip_accents").asBoolean() : null,
          JsonFields.bool(node, "lowercase", true));
      case "Nmt" -> new Nmt();
      case "Precompiled" -> Precompiled.fromJson(node, here);
      case "ByteLevel" -> new ByteLevelNormalizer();
      case "Sequence" -> sequence(JsonFields.array(node, "normalizers", here), here);
      default -> throw JsonFields.unknownType("normalizer", type, where);
    };
  }

  private static Normalizer unicode(Form form) {
    return s -> java.text.Normalizer.isNormalized(s, form) ? s : java.text.Normalizer.normalize(s, form);
  }

  private static Normalizer strip(boolean left, boolean right) {
    return s -> dev.barista.tokenizer.WhiteSpace.strip(s, left, right);
  }

  private static Normalizer prepend(String prefix) {
    return s -> s.isEmpty() ? s : prefix + s;
  }

  private static Normalizer replace(Pattern pattern, String content) {
    String replacement = Matcher.quoteReplacement(content);
    return s -> pattern.matcher(s).replaceAll(replacement);
  }

  private static Normalizer sequence(JsonNode list, String where) {
    List<Normalizer> parts = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Normalizer n = fromJson(list.get(i), where + "[" + i + "]");
      if (n != null) parts.add(n);
    }
    return s -> {
      for (Normalizer n : parts) s = n.normalize(s);
      return s;
    };
  }
}

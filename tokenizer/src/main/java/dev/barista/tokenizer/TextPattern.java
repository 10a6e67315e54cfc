package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A tokenizer.json pattern, {"String": literal} or {"Regex": oniguruma}, compiled to a Java regex.
 * Oniguruma's \s, \w and \d are Unicode-aware, so Java runs with UNICODE_CHARACTER_CLASS; script
 * names such as \p{Han} become Java's \p{IsHan}.
 */
public final class TextPattern {
  private static final Pattern PROPERTY = Pattern.compile("\\\\([pP])\\{\\^?([A-Za-z_ =]+)\\}");

  private TextPattern() {}

  public static Pattern fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new TokenizerException(where + ": 'pattern' must be {\"String\": ...} or {\"Regex\": ...}");
    }
    if (node.has("String")) return Pattern.compile(Pattern.quote(node.get("String").asText()));
    if (node.has("Regex")) return regex(node.get("Regex").asText(), where);
    throw new TokenizerException(where + ": 'pattern' must be {\"String\": ...} or {\"Regex\": ...}");
  }

  public static Pattern regex(String onig, String where) {
    try {
      return Pattern.compile(translate(onig), Pattern.UNICODE_CHARACTER_CLASS);
    } catch (PatternSyntaxException e) {
      throw new TokenizerException(where + ": invalid regex " + onig + ": " + e.getDescription(), e);
    }
  }

  /** Rewrites property names Java does not know under their plain name. */
  static String translate(String onig) {
    Matcher m = PROPERTY.matcher(onig);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      String replacement = m.group();
      if (!knownToJava(name)) replacement = "\\" + m.group(1) + "{Is" + name + "}";
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean knownToJava(String name) {
    try {
      Pattern.compile("\\p{" + name + "}");
      return true;
    } catch (PatternSyntaxException e) {
      return false;
    }
  }
}

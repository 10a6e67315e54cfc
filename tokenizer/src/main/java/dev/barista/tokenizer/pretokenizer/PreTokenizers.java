package dev.barista.tokenizer.pretokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TextPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Builds the pre-tokenizer of tokenizer.json's "pre_tokenizer" section (null when absent). */
public final class PreTokenizers {
  private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS;
  private static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", FLAGS);
  private static final Pattern SPACES = Pattern.compile("\\s+", FLAGS);
  private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}!-/:-@\\[-`{-~]", FLAGS);
  private static final Pattern DIGIT = Pattern.compile("\\p{N}", FLAGS);

  private PreTokenizers() {}

  public static PreTokenizer fromJson(JsonNode node, String where) {
    if (node == null || node.isNull()) return null;
    String type = JsonFields.type(node, where);
    String here = where + " (" + type + ")";
    return switch (type) {
      case "ByteLevel" -> new ByteLevel(JsonFields.bool(node, "add_prefix_space", true), JsonFields.bool(node, "use_regex", true));
      case "Split" -> new PatternSplit(
          TextPattern.fromJson(node.get("pattern"), here),
          SplitBehavior.parse(JsonFields.string(node, "behavior", here), here),
          JsonFields.bool(node, "invert", false));
      case "Metaspace" -> metaspace(node, here);
      case "Whitespace" -> new PatternSplit(WORDS, SplitBehavior.REMOVED, true);
      case "WhitespaceSplit" -> new PatternSplit(SPACES, SplitBehavior.REMOVED, false);
      case "Punctuation" -> new PatternSplit(PUNCTUATION, behavior(node, here), false);
      case "Digits" -> new PatternSplit(DIGIT,
          JsonFields.bool(node, "individual_digits", false) ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS, false);
      case "BertPreTokenizer" -> sequence(List.of(
          new PatternSplit(SPACES, SplitBehavior.REMOVED, false),
          new PatternSplit(PUNCTUATION, SplitBehavior.ISOLATED, false)));
      case "CharDelimiterSplit" -> new PatternSplit(
          Pattern.compile(Pattern.quote(JsonFields.string(node, "delimiter", here))), SplitBehavior.REMOVED, false);
      case "Sequence" -> sequence(list(JsonFields.array(node, "pretokenizers", here), here));
      default -> throw JsonFields.unknownType("pre_tokenizer", type, where);
    };
  }

  private static SplitBehavior behavior(JsonNode node, String where) {
    return node.hasNonNull("behavior") ? SplitBehavior.parse(node.get("behavior").asText(), where) : SplitBehavior.ISOLATED;
  }

  private static PreTokenizer metaspace(JsonNode node, String where) {
    String replacement = JsonFields.optString(node, "replacement", "\u2581");
    Metaspace.Prepend prepend;
    if (node.hasNonNull("prepend_scheme")) {
      prepend = switch (node.get("prepend_scheme").asText()) {
        case "always" -> Metaspace.Prepend.ALWAYS;
        case "first" -> Metaspace.Prepend.FIRST;
        case "never" -> Metaspace.Prepend.NEVER;
        default -> throw new dev.barista.tokenizer.TokenizerException(
            where + ": unknown prepend_scheme '" + node.get("prepend_scheme").asText() + "'");
      };
    } else {
      prepend = JsonFields.bool(node, "add_prefix_space", true) ? Metaspace.Prepend.ALWAYS : Metaspace.Prepend.NEVER;
    }
    return new Metaspace(replacement, prepend, JsonFields.bool(node, "split", true));
  }

  private static List<PreTokenizer> list(JsonNode array, String where) {
    List<PreTokenizer> parts = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      PreTokenizer p = fromJson(array.get(i), where + "[" + i + "]");
      if (p != null) parts.add(p);
    }
    return parts;
  }

  private static PreTokenizer sequence(List<PreTokenizer> parts) {
    return new PreTokenizerSequence(parts);
  }
}

package dev.barista.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What transformers reads from tokenizer_config.json: special token strings (plain or AddedToken
 * dicts), add_bos_token/add_eos_token, the tokenizer class and the chat templates (one string, or a
 * list of {name, template}).
 */
public record TokenizerConfig(
    Map<String, String> specialTokens,
    Boolean addBosToken,
    Boolean addEosToken,
    String tokenizerClass,
    Map<String, String> chatTemplates,
    java.util.List<String> additionalSpecialTokens) {

  private static final Set<String> SPECIAL_KEYS =
      Set.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token");

  public static final TokenizerConfig EMPTY = new TokenizerConfig(Map.of(), null, null, null, Map.of(), java.util.List.of());

  public static TokenizerConfig fromJson(JsonNode root, String where) {
    if (root == null || root.isNull()) return EMPTY;
    if (!root.isObject()) throw new TokenizerException(where + ": must be a JSON object");
    Map<String, String> specials = new LinkedHashMap<>();
    for (String key : SPECIAL_KEYS) {
      String value = tokenString(root.get(key), where + " " + key);
      if (value != null) specials.put(key, value);
    }
    return new TokenizerConfig(
        specials,
        optBool(root, "add_bos_token"),
        optBool(root, "add_eos_token"),
        root.hasNonNull("tokenizer_class") ? root.get("tokenizer_class").asText() : null,
        chatTemplates(root.get("chat_template"), where),
        additional(root.get("additional_special_tokens"), where));
  }

  private static java.util.List<String> additional(JsonNode node, String where) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (node == null || !node.isArray()) return out;
    for (JsonNode t : node) out.add(tokenString(t, where + " additional_special_tokens"));
    return out;
  }

  /** A special token given as "text" or as {"content": "text", ...}. */
  static String tokenString(JsonNode node, String where) {
    if (node == null || node.isNull()) return null;
    if (node.isTextual()) return node.asText();
    if (node.isObject() && node.hasNonNull("content")) return node.get("content").asText();
    throw new TokenizerException(where + ": must be a string or an object with 'content'");
  }

  private static Boolean optBool(JsonNode root, String field) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? null : v.asBoolean();
  }

  static Map<String, String> chatTemplates(JsonNode node, String where) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) return out;
    if (node.isTextual()) {
      out.put("default", node.asText());
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (!item.hasNonNull("name") || !item.hasNonNull("template")) {
          throw new TokenizerException(where + ": chat_template list items need 'name' and 'template'");
        }
        out.put(item.get("name").asText(), item.get("template").asText());
      }
    } else {
      throw new TokenizerException(where + ": chat_template must be a string or a list of {name, template}");
    }
    return out;
  }

  TokenizerConfig withChatTemplates(Map<String, String> templates) {
    return new TokenizerConfig(specialTokens, addBosToken, addEosToken, tokenizerClass, templates, additionalSpecialTokens);
  }

  /** The variables transformers passes to every chat template: the special tokens map. */
  Map<String, Object> templateVariables() {
    Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
    if (!additionalSpecialTokens.isEmpty()) vars.put("additional_special_tokens", additionalSpecialTokens);
    return vars;
  }
}

package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;

/** Builds the model named by tokenizer.json's "model" section. */
public final class Models {
  private Models() {}

  public static Model fromJson(JsonNode node) {
    return fromJson(node, ModelData.NONE);
  }

  public static Model fromJson(JsonNode node, ModelData data) {
    String where = "tokenizer.json model";
    if (node == null || !node.isObject()) throw new TokenizerException(where + ": missing or not an object");
    String type = node.has("type") ? JsonFields.type(node, where) : guessType(node, data);
    where = where + " (" + type + ")";
    return switch (type) {
      case "BPE" -> new Bpe(node, data, where);
      case "WordPiece" -> new WordPiece(node, data, where);
      case "WordLevel" -> new WordLevel(node, data, where);
      case "Unigram" -> Unigram.fromJson(node, where);
      default -> throw JsonFields.unknownType("model", type, "tokenizer.json model");
    };
  }

  /** Old files omit "type"; Hugging Face then tells models apart by their fields. */
  private static String guessType(JsonNode node, ModelData data) {
    if (node.has("merges") || data.merges() != null) return "BPE";
    if (node.has("unk_id") || (node.has("vocab") && node.get("vocab").isArray())) return "Unigram";
    if (node.has("continuing_subword_prefix") || node.has("max_input_chars_per_word")) return "WordPiece";
    return "WordLevel";
  }
}

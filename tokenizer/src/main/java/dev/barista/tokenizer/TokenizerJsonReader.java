package dev.barista.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.tokenizer.model.ModelData;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tokenizer.json with model.vocab (object form) and model.merges streamed straight into
 * compact structures; a JSON tree of 150k vocab entries and 150k merges would cost most of the
 * load time. Everything else becomes an ordinary tree.
 */
final class TokenizerJsonReader {
  record Parsed(JsonNode root, ModelData model) {}

  private TokenizerJsonReader() {}

  static Parsed read(ObjectMapper json, InputStream in) throws IOException {
    try (JsonParser p = json.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw new TokenizerException("tokenizer.json: must be a JSON object");
      ObjectNode root = json.createObjectNode();
      Map<String, Integer> vocab = null;
      List<String[]> merges = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (!name.equals("model") || t != JsonToken.START_OBJECT) {
          root.set(name, json.readTree(p));
          continue;
        }
        ObjectNode model = root.putObject("model");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (field.equals("vocab") && v == JsonToken.START_OBJECT) {
            vocab = vocab(p);
            model.putObject("vocab");
          } else if (field.equals("merges") && v == JsonToken.START_ARRAY) {
            merges = merges(p);
            model.putArray("merges");
          } else {
            model.set(field, json.readTree(p));
          }
        }
      }
      return new Parsed(root, new ModelData(vocab, merges));
    }
  }

  private static Map<String, Integer> vocab(JsonParser p) throws IOException {
    Map<String, Integer> out = new HashMap<>(1 << 18);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String token = p.currentName();
      if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
        throw new TokenizerException("tokenizer.json model: vocab entry '" + token + "' has no valid id");
      }
      out.put(token, p.getIntValue());
    }
    return out;
  }

  /** Merges as ["a b", ...] or [["a", "b"], ...]. */
  private static List<String[]> merges(JsonParser p) throws IOException {
    List<String[]> out = new ArrayList<>(1 << 18);
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (t == JsonToken.VALUE_STRING) {
        String s = p.getText();
        int space = s.indexOf(' ', 1);
        if (space < 0) throw new TokenizerException("tokenizer.json model: merge #" + out.size() + " must be \"a b\" or [\"a\", \"b\"]");
        out.add(new String[] {s.substring(0, space), s.substring(space + 1)});
      } else if (t == JsonToken.START_ARRAY) {
        String a = p.nextTextValue();
        String b = p.nextTextValue();
        if (a == null || b == null || p.nextToken() != JsonToken.END_ARRAY) {
          throw new TokenizerException("tokenizer.json model: merge #" + out.size() + " must be \"a b\" or [\"a\", \"b\"]");
        }
        out.add(new String[] {a, b});
      } else {
        throw new TokenizerException("tokenizer.json model: merge #" + out.size() + " must be \"a b\" or [\"a\", \"b\"]");
      }
    }
    return out;
  }
}

package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.TokenizerException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** A token string to id map with its inverse, read from a {"token": id} JSON object. */
public final class Vocab {
  private final Map<String, Integer> ids;
  private final String[] tokens;

  public Vocab(Map<String, Integer> ids) {
    this.ids = ids;
    int max = -1;
    for (int id : ids.values()) max = Math.max(max, id);
    tokens = new String[max + 1];
    for (Map.Entry<String, Integer> e : ids.entrySet()) tokens[e.getValue()] = e.getKey();
  }

  /** The pre-read vocab when there is one, else the JSON object. */
  static Vocab of(ModelData data, JsonNode node, String where) {
    return data.vocab() != null ? new Vocab(data.vocab()) : fromJson(node, where);
  }

  public static Vocab fromJson(JsonNode node, String where) {
    if (node == null || !node.isObject()) {
      throw new TokenizerException(where + ": 'vocab' must be an object of token to id");
    }
    Map<String, Integer> ids = new HashMap<>(node.size() * 2);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
        throw new TokenizerException(where + ": vocab entry '" + e.getKey() + "' has no valid id");
      }
      ids.put(e.getKey(), e.getValue().asInt());
    }
    return new Vocab(ids);
  }

  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  public String token(int id) {
    return id >= 0 && id < tokens.length ? tokens[id] : null;
  }

  public int size() {
    return tokens.length;
  }
}

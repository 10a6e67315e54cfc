package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.IntList;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;

/** One id per whole word; anything else is the unknown token. */
public final class WordLevel implements VocabBackedModel {
  private final Vocab vocab;
  private final int unkId;
  private final String unk;

  WordLevel(JsonNode node, ModelData data, String where) {
    vocab = Vocab.of(data, node.get("vocab"), where);
    unk = JsonFields.optString(node, "unk_token", null);
    unkId = unk == null ? -1 : vocab.id(unk);
  }

  public static WordLevel fromJson(JsonNode node, String where) {
    return new WordLevel(node, ModelData.NONE, where);
  }

  @Override
  public void tokenize(String word, IntList out) {
    int id = vocab.id(word);
    if (id >= 0) {
      out.add(id);
    } else if (unkId >= 0) {
      out.add(unkId);
    } else {
      throw new TokenizerException("WordLevel: '" + word + "' is not in the vocab and unk_token "
          + (unk == null ? "is not set" : "'" + unk + "' is missing"));
    }
  }

  @Override
  public Vocab vocab() {
    return vocab;
  }
}

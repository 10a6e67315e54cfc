package dev.barista.tokenizer.model;

import dev.barista.tokenizer.IntList;

/** Turns one pre-tokenized word into token ids; owns the base vocabulary. */
public interface Model {
  void tokenize(String word, IntList out);

  /** The token string of an id, or null when the model has no such id. */
  String idToToken(int id);

  /** The id of a token string, or -1. */
  int tokenToId(String token);

  /** One more than the largest id of the model's vocabulary. */
  int size();
}

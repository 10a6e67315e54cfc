package dev.barista.tokenizer.model;

/** A model whose ids and token strings are exactly those of one {@link Vocab}. */
interface VocabBackedModel extends Model {
  Vocab vocab();

  @Override
  default String idToToken(int id) {
    return vocab().token(id);
  }

  @Override
  default int tokenToId(String token) {
    return vocab().id(token);
  }

  @Override
  default int size() {
    return vocab().size();
  }
}

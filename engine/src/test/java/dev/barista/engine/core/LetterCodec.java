package dev.barista.engine.core;

/** A toy tokenizer for tests: token id i is the letter 'a' + i % 26; 26 and up decode as given. */
final class LetterCodec implements TextCodec {
  @Override
  public int[] encode(String text) {
    return encodePlain(text);
  }

  @Override
  public int[] encodePlain(String text) {
    return text.chars().map(c -> c - 'a').toArray();
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    StringBuilder sb = new StringBuilder();
    for (int id : ids) sb.append((char) ('a' + id % 26));
    return sb.toString();
  }

  @Override
  public Incremental newIncremental(boolean skipSpecialTokens) {
    return id -> String.valueOf((char) ('a' + id % 26));
  }
}

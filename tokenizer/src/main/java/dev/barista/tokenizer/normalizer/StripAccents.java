package dev.barista.tokenizer.normalizer;

/** Removes combining marks (category Mn); usually follows NFD. */
final class StripAccents implements Normalizer {
  @Override
  public String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}

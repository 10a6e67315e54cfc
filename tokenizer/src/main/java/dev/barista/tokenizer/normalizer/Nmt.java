package dev.barista.tokenizer.normalizer;

/** SentencePiece's NMT cleanup: drops some control characters and maps odd spaces to ' '. */
final class Nmt implements Normalizer {
  @Override
  public String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if ((cp >= 0x1 && cp <= 0x8) || cp == 0xB || (cp >= 0xE && cp <= 0x1F) || cp == 0x7F
          || cp == 0x8F || cp == 0x9F) return;
      boolean space = cp == 0x9 || cp == 0xA || cp == 0xC || cp == 0xD || cp == 0x1680
          || (cp >= 0x200B && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x2581
          || cp == 0xFEFF || cp == 0xFFFD;
      out.appendCodePoint(space ? ' ' : cp);
    });
    return out.toString();
  }
}

package dev.barista.tokenizer.normalizer;

import java.text.Normalizer.Form;

/**
 * BERT's normalizer: drops control characters and turns whitespace into spaces (clean_text), pads
 * CJK ideographs with spaces, strips accents (by default when lowercasing) and lowercases.
 */
final class BertNormalizer implements Normalizer {
  private final boolean cleanText;
  private final boolean chineseChars;
  private final boolean stripAccents;
  private final boolean lowercase;

  BertNormalizer(boolean cleanText, boolean chineseChars, Boolean stripAccents, boolean lowercase) {
    this.cleanText = cleanText;
    this.chineseChars = chineseChars;
    this.stripAccents = stripAccents == null ? lowercase : stripAccents;
    this.lowercase = lowercase;
  }

  @Override
  public String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cleanText) {
        if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
        if (isWhitespace(cp)) cp = ' ';
      }
      if (chineseChars && isChinese(cp)) {
        out.append(' ').appendCodePoint(cp).append(' ');
      } else {
        out.appendCodePoint(cp);
      }
    });
    String s = out.toString();
    if (stripAccents) s = new StripAccents().normalize(java.text.Normalizer.normalize(s, Form.NFD));
    if (lowercase) s = s.toLowerCase(java.util.Locale.ROOT);
    return s;
  }

  private static boolean isWhitespace(int cp) {
    return dev.barista.tokenizer.WhiteSpace.is(cp);
  }

  private static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') return false;
    int t = Character.getType(cp);
    return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
        || t == Character.UNASSIGNED || t == Character.SURROGATE;
  }

  private static boolean isChinese(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}

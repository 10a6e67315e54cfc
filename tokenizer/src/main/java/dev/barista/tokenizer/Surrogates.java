package dev.barista.tokenizer;

/**
 * Java strings may hold unpaired UTF-16 surrogates, which have no UTF-8 form. Hugging Face cannot
 * receive such text at all (Python fails to encode it for the Rust side), so we reject it clearly.
 */
final class Surrogates {
  private Surrogates() {}

  static void check(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) continue;
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      throw new TokenizerException(String.format(
          "text has an unpaired UTF-16 surrogate U+%04X at index %d; it cannot be encoded as UTF-8", (int) c, i));
    }
  }
}

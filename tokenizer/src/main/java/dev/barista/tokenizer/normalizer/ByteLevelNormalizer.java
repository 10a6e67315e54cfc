package dev.barista.tokenizer.normalizer;

import dev.barista.tokenizer.pretokenizer.ByteLevelAlphabet;

/** Maps the text's UTF-8 bytes to GPT-2's printable byte alphabet. */
final class ByteLevelNormalizer implements Normalizer {
  @Override
  public String normalize(String text) {
    return ByteLevelAlphabet.encode(text);
  }
}

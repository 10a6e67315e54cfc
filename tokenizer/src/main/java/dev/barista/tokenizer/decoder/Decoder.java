package dev.barista.tokenizer.decoder;

import java.util.List;

/** Turns token strings back into text; a chain step maps token strings to token strings. */
@FunctionalInterface
public interface Decoder {
  List<String> decodeChain(List<String> tokens);

  default String decode(List<String> tokens) {
    return String.join("", decodeChain(tokens));
  }
}

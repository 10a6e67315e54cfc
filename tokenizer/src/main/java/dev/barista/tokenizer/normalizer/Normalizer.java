package dev.barista.tokenizer.normalizer;

/** Rewrites text before pre-tokenization (Unicode forms, case, replacements...). */
@FunctionalInterface
public interface Normalizer {
  String normalize(String text);
}

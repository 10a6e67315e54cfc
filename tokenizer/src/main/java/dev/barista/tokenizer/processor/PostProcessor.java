package dev.barista.tokenizer.processor;

/** Adds the special tokens of a single sequence (BOS, CLS/SEP...) when special tokens are wanted. */
@FunctionalInterface
public interface PostProcessor {
  int[] process(int[] ids);
}

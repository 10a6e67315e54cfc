package dev.barista.tokenizer;

/** An entry of tokenizer.json's added_tokens, with Hugging Face's matching flags. */
public record AddedToken(
    int id,
    String content,
    boolean singleWord,
    boolean lstrip,
    boolean rstrip,
    boolean normalized,
    boolean special) {}

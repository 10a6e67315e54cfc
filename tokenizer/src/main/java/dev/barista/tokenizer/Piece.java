package dev.barista.tokenizer;

/**
 * A piece of text on its way through the pipeline. {@code atStart} says whether it begins at offset 0
 * of the original input (Metaspace's "first" prepend scheme needs it).
 */
public record Piece(String text, boolean atStart) {}

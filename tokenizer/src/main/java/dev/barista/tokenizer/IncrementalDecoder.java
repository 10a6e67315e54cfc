package dev.barista.tokenizer;

import java.util.List;

/**
 * Streaming detokenization. Each {@link #add} decodes a short window of recent ids twice (without and
 * with the new id) and returns the difference, holding text back while it ends in an incomplete
 * UTF-8 sequence (U+FFFD) or while the window's text is not yet stable. {@link #flush} returns what
 * is still held. The pieces concatenate to {@code decode(allIds)}.
 * Not thread-safe: one instance per sequence.
 */
public final class IncrementalDecoder {
  private final Tokenizer tokenizer;
  private final boolean skipSpecialTokens;
  private int[] ids = new int[64];
  private int size;
  private int prefixOffset;
  private int readOffset;

  IncrementalDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
    this.tokenizer = tokenizer;
    this.skipSpecialTokens = skipSpecialTokens;
  }

  /** Adds one id and returns the newly completed text (possibly empty). */
  public String add(int tokenId) {
    if (size == ids.length) ids = java.util.Arrays.copyOf(ids, size * 2);
    ids[size++] = tokenId;
    String before = text(prefixOffset, readOffset);
    String after = text(prefixOffset, size);
    if (after.length() <= before.length() || after.endsWith("\uFFFD") || !after.startsWith(before)) return "";
    prefixOffset = readOffset;
    readOffset = size;
    return after.substring(before.length());
  }

  /** Returns the text still held back (an incomplete character at the end decodes as U+FFFD). */
  public String flush() {
    String before = text(prefixOffset, readOffset);
    String after = text(prefixOffset, size);
    prefixOffset = readOffset = size;
    return after.startsWith(before) ? after.substring(before.length()) : after;
  }

  /** All ids added so far. */
  public int[] ids() {
    return java.util.Arrays.copyOf(ids, size);
  }

  private String text(int from, int to) {
    if (from >= to) return "";
    List<String> tokens = tokenizer.tokenStrings(ids, from, to, skipSpecialTokens);
    return tokenizer.decodeTokens(tokens);
  }
}

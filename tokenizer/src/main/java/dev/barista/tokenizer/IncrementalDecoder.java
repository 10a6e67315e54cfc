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
  private final IntList ids = new IntList();
  private int prefixOffset;
  private int readOffset;

  IncrementalDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
    this.tokenizer = tokenizer;
    this.skipSpecialTokens = skipSpecialTokens;
  }

  /** Adds one id and returns the newly completed text (possibly empty). */
  public String add(int tokenId) {
    ids.add(tokenId);
    int[] all = ids.toArray();
    String before = text(all, prefixOffset, readOffset);
    String after = text(all, prefixOffset, all.length);
    if (after.length() <= before.length() || after.endsWith("\uFFFD") || !after.startsWith(before)) return "";
    prefixOffset = readOffset;
    readOffset = all.length;
    return after.substring(before.length());
  }

  /** Returns the text still held back (an incomplete character at the end decodes as U+FFFD). */
  public String flush() {
    int[] all = ids.toArray();
    String before = text(all, prefixOffset, readOffset);
    String after = text(all, prefixOffset, all.length);
    prefixOffset = readOffset = all.length;
    return after.startsWith(before) ? after.substring(before.length()) : after;
  }

  /** All ids added so far. */
  public int[] ids() {
    return ids.toArray();
  }

  private String text(int[] all, int from, int to) {
    if (from >= to) return "";
    List<String> tokens = tokenizer.tokenStrings(all, from, to, skipSpecialTokens);
    return tokenizer.decodeTokens(tokens);
  }
}

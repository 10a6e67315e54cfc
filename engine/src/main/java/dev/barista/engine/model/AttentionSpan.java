package dev.barista.engine.model;

/**
 * Which earlier keys a layer's query sees, besides its own: all of them, the last {@code size}
 * positions (a sliding window, the query's included), or those of its own {@code size}-token chunk
 * aligned at position 0 (Llama 4's chunked attention, where the first query of a chunk sees only
 * itself).
 */
public record AttentionSpan(Kind kind, int size) {
  public enum Kind { FULL, SLIDING, CHUNKED }

  public static final AttentionSpan FULL = new AttentionSpan(Kind.FULL, 0);

  public AttentionSpan {
    if ((kind == Kind.FULL) != (size == 0) || size < 0) {
      throw new IllegalArgumentException(kind + " attention with span " + size);
    }
  }

  public static AttentionSpan sliding(int window) {
    return new AttentionSpan(Kind.SLIDING, window);
  }

  public static AttentionSpan chunked(int chunkSize) {
    return new AttentionSpan(Kind.CHUNKED, chunkSize);
  }

  /** The first position a query at {@code position} attends to; it attends to all from there to itself. */
  public int firstVisible(int position) {
    return switch (kind) {
      case FULL -> 0;
      case SLIDING -> Math.max(0, position - size + 1);
      case CHUNKED -> position - position % size;
    };
  }
}

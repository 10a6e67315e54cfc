package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.Piece;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SentencePiece-style spaces: ' ' becomes the replacement ('▁'), which is prepended (always, only
 * at the start of the input, or never), and pieces split before each replacement.
 */
public final class Metaspace implements PreTokenizer {
  public enum Prepend { ALWAYS, FIRST, NEVER }

  private final String replacement;
  private final Prepend prepend;
  private final PatternSplit splitter;

  public Metaspace(String replacement, Prepend prepend, boolean split) {
    this.replacement = replacement;
    this.prepend = prepend;
    this.splitter = split
        ? new PatternSplit(Pattern.compile(Pattern.quote(replacement)), SplitBehavior.MERGED_WITH_NEXT, false)
        : null;
  }

  @Override
  public void split(Piece piece, List<Piece> out) {
    String text = piece.text().replace(" ", replacement);
    boolean add = switch (prepend) {
      case ALWAYS -> true;
      case FIRST -> piece.atStart();
      case NEVER -> false;
    };
    if (add && !text.startsWith(replacement)) text = replacement + text;
    Piece p = new Piece(text, piece.atStart());
    if (splitter == null) {
      if (!text.isEmpty()) out.add(p);
    } else {
      splitter.split(p, out);
    }
  }
}

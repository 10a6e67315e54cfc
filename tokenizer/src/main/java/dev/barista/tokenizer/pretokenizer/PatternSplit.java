package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits each piece around the matches of a pattern (tokenizer.json "Split" and friends). */
public final class PatternSplit implements PreTokenizer {
  private final Pattern pattern;
  private final SplitBehavior behavior;
  private final boolean invert;
  private final GptSplitScanner scanner;

  public PatternSplit(Pattern pattern, SplitBehavior behavior, boolean invert) {
    this.pattern = pattern;
    this.behavior = behavior;
    this.invert = invert;
    boolean unicode = (pattern.flags() & Pattern.UNICODE_CHARACTER_CLASS) != 0;
    this.scanner = unicode ? GptSplitScanner.forRegex(pattern.pattern()) : null;
  }

  @Override
  public void split(Piece piece, List<Piece> out) {
    String text = piece.text();
    if (text.isEmpty()) return;
    List<int[]> spans = new ArrayList<>();
    int hit = invert ? 0 : 1;
    if (scanner != null) {
      if (behavior == SplitBehavior.ISOLATED) {
        for (int i = 0, end; i < text.length(); i = end) {
          end = scanner.matchEnd(text, i);
          out.add(new Piece(text.substring(i, end), piece.atStart() && i == 0));
        }
        return;
      }
      for (int i = 0, end; i < text.length(); i = end) {
        end = scanner.matchEnd(text, i);
        spans.add(new int[] {i, end, hit});
      }
      emit(piece, spans, out);
      return;
    }
    Matcher m = pattern.matcher(text);
    int prev = 0;
    try {
      while (m.find()) {
        if (m.start() == m.end()) continue;
        if (prev < m.start()) spans.add(new int[] {prev, m.start(), 1 - hit});
        spans.add(new int[] {m.start(), m.end(), hit});
        prev = m.end();
      }
    } catch (StackOverflowError e) {
      // java.util.regex recurses on some repeated groups; a huge input must fail cleanly, not kill the thread.
      throw new dev.barista.tokenizer.TokenizerException("pre_tokenizer regex " + pattern.pattern()
          + " overflowed the stack on a " + text.length() + "-char piece; split the input");
    }
    if (prev < text.length()) spans.add(new int[] {prev, text.length(), 1 - hit});
    emit(piece, spans, out);
  }

  private void emit(Piece piece, List<int[]> spans, List<Piece> out) {
    String text = piece.text();
    for (int[] span : behavior.apply(spans)) {
      if (span[1] > span[0]) {
        out.add(new Piece(text.substring(span[0], span[1]), piece.atStart() && span[0] == 0));
      }
    }
  }
}

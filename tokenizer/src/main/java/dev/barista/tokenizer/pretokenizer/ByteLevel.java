package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level pre-tokenizer: optionally prefixes a space, optionally splits with GPT-2's
 * word regex, then rewrites every piece's UTF-8 bytes into the printable byte alphabet.
 */
public final class ByteLevel implements PreTokenizer {
  static final Pattern GPT2 = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  private final boolean addPrefixSpace;
  private final PatternSplit words;

  public ByteLevel(boolean addPrefixSpace, boolean useRegex) {
    this.addPrefixSpace = addPrefixSpace;
    this.words = useRegex ? new PatternSplit(GPT2, SplitBehavior.ISOLATED, false) : null;
  }

  /** The splitting part alone (null without use_regex), for callers that map bytes themselves. */
  public PreTokenizer wordSplitter() {
    return words;
  }

  /** True when this stage only maps bytes (no prefix space), so it can be fused with a word cache. */
  public boolean mapsBytesOnly() {
    return !addPrefixSpace;
  }

  @Override
  public void split(Piece piece, List<Piece> out) {
    Piece p = piece;
    if (addPrefixSpace && !p.text().startsWith(" ")) p = new Piece(" " + p.text(), p.atStart());
    if (words == null) {
      if (!p.text().isEmpty()) out.add(new Piece(ByteLevelAlphabet.encode(p.text()), p.atStart()));
      return;
    }
    List<Piece> parts = new ArrayList<>();
    words.split(p, parts);
    for (Piece w : parts) out.add(new Piece(ByteLevelAlphabet.encode(w.text()), w.atStart()));
  }
}

package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.Piece;
import java.util.List;

/** Pre-tokenizers applied one after the other. */
public record PreTokenizerSequence(List<PreTokenizer> parts) implements PreTokenizer {
  @Override
  public void split(Piece piece, List<Piece> out) {
    out.addAll(apply(List.of(piece)));
  }

  @Override
  public List<Piece> apply(List<Piece> pieces) {
    for (PreTokenizer p : parts) pieces = p.apply(pieces);
    return pieces;
  }
}

package dev.barista.tokenizer.pretokenizer;

import dev.barista.tokenizer.Piece;
import java.util.List;

/** Splits normalized text into words for the model; each piece is split independently. */
@FunctionalInterface
public interface PreTokenizer {
  void split(Piece piece, List<Piece> out);

  default List<Piece> apply(List<Piece> pieces) {
    List<Piece> out = new java.util.ArrayList<>(pieces.size() * 4);
    for (Piece p : pieces) split(p, out);
    return out;
  }
}

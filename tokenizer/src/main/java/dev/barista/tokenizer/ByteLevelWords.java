package dev.barista.tokenizer;

import dev.barista.tokenizer.model.Model;
import dev.barista.tokenizer.pretokenizer.ByteLevel;
import dev.barista.tokenizer.pretokenizer.ByteLevelAlphabet;
import dev.barista.tokenizer.pretokenizer.PreTokenizer;
import dev.barista.tokenizer.pretokenizer.PreTokenizerSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The usual byte-level pipeline (split into words, map each word's bytes, run the model on it) with
 * a cache keyed by the word before byte mapping: a repeated word costs one hash lookup instead of a
 * byte-mapping pass and a second lookup.
 */
final class ByteLevelWords {
  private static final int CAPACITY = 65_536;
  private static final int MAX_WORD = 256;

  private final PreTokenizer splitter;
  private final Model model;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  private ByteLevelWords(PreTokenizer splitter, Model model) {
    this.splitter = splitter;
    this.model = model;
  }

  /** The fused pipeline when the pre-tokenizer ends in a bytes-only ByteLevel stage, else null. */
  static ByteLevelWords of(PreTokenizer pre, Model model) {
    if (pre instanceof ByteLevel b && b.mapsBytesOnly()) return new ByteLevelWords(b.wordSplitter(), model);
    if (pre instanceof PreTokenizerSequence seq && !seq.parts().isEmpty()
        && seq.parts().getLast() instanceof ByteLevel b && b.mapsBytesOnly() && b.wordSplitter() == null) {
      List<PreTokenizer> head = new ArrayList<>(seq.parts().subList(0, seq.parts().size() - 1));
      return new ByteLevelWords(head.isEmpty() ? null : new PreTokenizerSequence(head), model);
    }
    return null;
  }

  void tokenize(Piece piece, IntList ids) {
    if (splitter == null) {
      word(piece.text(), ids);
      return;
    }
    for (Piece w : splitter.apply(List.of(piece))) word(w.text(), ids);
  }

  private void word(String text, IntList ids) {
    int[] cached = cache.get(text);
    if (cached == null) {
      IntList out = new IntList(8);
      model.tokenize(ByteLevelAlphabet.encode(text), out);
      cached = out.toArray();
      if (text.length() <= MAX_WORD && cache.size() < CAPACITY) cache.put(text, cached);
    }
    ids.addAll(cached);
  }
}

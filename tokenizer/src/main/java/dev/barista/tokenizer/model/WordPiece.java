package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.IntList;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;

/**
 * BERT's WordPiece: greedy longest-match-first from the left; pieces after the first carry the
 * continuing-subword prefix ("##"). A word with any unmatchable rest, or longer than
 * max_input_chars_per_word characters, becomes the single unknown token.
 */
public final class WordPiece implements VocabBackedModel {
  private final Vocab vocab;
  private final int unkId;
  private final String prefix;
  private final int maxChars;

  WordPiece(JsonNode node, ModelData data, String where) {
    vocab = Vocab.of(data, node.get("vocab"), where);
    String unk = JsonFields.optString(node, "unk_token", "[UNK]");
    unkId = vocab.id(unk);
    if (unkId < 0) throw new TokenizerException(where + ": unk_token '" + unk + "' is not in the vocab");
    prefix = JsonFields.optString(node, "continuing_subword_prefix", "##");
    maxChars = JsonFields.integer(node, "max_input_chars_per_word", 100);
  }

  public static WordPiece fromJson(JsonNode node, String where) {
    return new WordPiece(node, ModelData.NONE, where);
  }

  @Override
  public void tokenize(String word, IntList out) {
    if (word.codePointCount(0, word.length()) > maxChars) {
      out.add(unkId);
      return;
    }
    IntList pieces = new IntList();
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      int found = -1;
      while (start < end) {
        String sub = word.substring(start, end);
        if (start > 0) sub = prefix + sub;
        found = vocab.id(sub);
        if (found >= 0) break;
        end = word.offsetByCodePoints(end, -1);
      }
      if (found < 0) {
        out.add(unkId);
        return;
      }
      pieces.add(found);
      start = end;
    }
    out.addAll(pieces.toArray());
  }

  @Override
  public Vocab vocab() {
    return vocab;
  }
}

package dev.barista.tokenizer;

import dev.barista.tokenizer.normalizer.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds added tokens in text the way Hugging Face does: leftmost-longest matches; single_word
 * tokens only between non-word characters; lstrip/rstrip swallow the whitespace beside the match.
 * Tokens with normalized=false are matched in the raw text, the others in the normalized text,
 * by their content normalized the same way (so "a b" is found as "a▁b" after a Replace(" ", "▁")).
 */
final class AddedVocabulary {
  private static final Pattern WORD_CHAR = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);

  /** A run of text to tokenize normally, or an added token (text null). */
  record Segment(String text, int offset, AddedToken token) {}

  private final Map<Integer, AddedToken> byId = new HashMap<>();
  private final Map<String, AddedToken> byContent = new HashMap<>();
  private final TokenTrie raw = new TokenTrie();
  private final TokenTrie normalized = new TokenTrie();

  /** The normalizer (nullable) is the tokenizer's: it rewrites the contents of normalized tokens. */
  AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
    for (AddedToken t : tokens) {
      byId.put(t.id(), t);
      byContent.put(t.content(), t);
      if (!t.normalized()) {
        raw.add(t.content(), t);
      } else {
        normalized.add(normalizer == null ? t.content() : normalizer.normalize(t.content()), t);
      }
    }
  }

  AddedToken byId(int id) {
    return byId.get(id);
  }

  AddedToken byContent(String content) {
    return byContent.get(content);
  }

  int maxId() {
    return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
  }

  List<Segment> splitRaw(String text, int baseOffset) {
    return split(raw, text, baseOffset);
  }

  List<Segment> splitNormalized(String text, int baseOffset) {
    return split(normalized, text, baseOffset);
  }

  private static List<Segment> split(TokenTrie trie, String text, int baseOffset) {
    List<Segment> out = new ArrayList<>(4);
    if (trie.isEmpty()) {
      out.add(new Segment(text, baseOffset, null));
      return out;
    }
    int done = 0;
    int pos = 0;
    while (pos < text.length()) {
      int[] hit = new int[1];
      AddedToken token = trie.longestAt(text, pos, hit);
      if (token == null) {
        pos++;
        continue;
      }
      int start = pos;
      int stop = hit[0];
      pos = stop;
      if (token.singleWord() && !standsAlone(text, start, stop)) continue;
      if (token.lstrip()) {
        while (start > done && isWhitespaceBefore(text, start)) start = text.offsetByCodePoints(start, -1);
      }
      if (token.rstrip()) {
        while (stop < text.length() && WhiteSpace.is(text.codePointAt(stop))) stop += Character.charCount(text.codePointAt(stop));
        pos = stop;
      }
      if (done < start) out.add(new Segment(text.substring(done, start), baseOffset + done, null));
      out.add(new Segment(null, baseOffset + start, token));
      done = stop;
    }
    if (done < text.length()) out.add(new Segment(text.substring(done), baseOffset + done, null));
    return out;
  }

  private static boolean isWhitespaceBefore(String text, int index) {
    return WhiteSpace.is(text.codePointBefore(index));
  }

  private static boolean standsAlone(String text, int start, int stop) {
    boolean before = start == 0 || !WORD_CHAR.matcher(new String(Character.toChars(text.codePointBefore(start)))).matches();
    boolean after = stop == text.length() || !WORD_CHAR.matcher(new String(Character.toChars(text.codePointAt(stop)))).matches();
    return before && after;
  }

  /** A character trie of added-token contents. */
  private static final class TokenTrie {
    private final Node root = new Node();
    private final boolean[] firstChars = new boolean[Character.MAX_VALUE + 1];
    private boolean empty = true;

    private static final class Node {
      final Map<Character, Node> next = new HashMap<>(4);
      AddedToken token;
    }

    /** Adds a token under the text it is found by; empty texts are never found. */
    void add(String key, AddedToken t) {
      if (key.isEmpty()) return;
      Node n = root;
      for (int i = 0; i < key.length(); i++) n = n.next.computeIfAbsent(key.charAt(i), c -> new Node());
      if (n.token == null) n.token = t;
      firstChars[key.charAt(0)] = true;
      empty = false;
    }

    boolean isEmpty() {
      return empty;
    }

    /** The longest token starting at pos (its end in end[0]), or null. */
    AddedToken longestAt(String text, int pos, int[] end) {
      if (!firstChars[text.charAt(pos)]) return null;
      Node n = root;
      AddedToken best = null;
      for (int i = pos; i < text.length(); i++) {
        n = n.next.get(text.charAt(i));
        if (n == null) break;
        if (n.token != null) {
          best = n.token;
          end[0] = i + 1;
        }
      }
      return best;
    }
  }
}

package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.IntList;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding as Hugging Face runs it: a word starts as characters (with optional
 * continuing-subword prefix, end-of-word suffix, byte fallback and fused unknowns), then the pair of
 * lowest merge rank, leftmost first, is merged until no ranked pair is left. Results per word are
 * cached because natural text repeats words constantly.
 */
public final class Bpe implements VocabBackedModel {
  private static final int CACHE_CAPACITY = 65_536;
  private static final int CACHE_MAX_WORD = 256;

  private final Vocab vocab;
  private final PairRanks merges;
  private final int unkId;
  private final boolean fuseUnk;
  private final boolean byteFallback;
  private final boolean ignoreMerges;
  private final String prefix;
  private final String suffix;
  private final int[] byteIds = new int[256];
  private final int[] bmpIds;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

  Bpe(JsonNode node, ModelData data, String where) {
    vocab = Vocab.of(data, node.get("vocab"), where);
    String unk = JsonFields.optString(node, "unk_token", null);
    unkId = unk == null ? -1 : vocab.id(unk);
    if (unk != null && unkId < 0) {
      throw new TokenizerException(where + ": unk_token '" + unk + "' is not in the vocab");
    }
    fuseUnk = JsonFields.bool(node, "fuse_unk", false);
    byteFallback = JsonFields.bool(node, "byte_fallback", false);
    ignoreMerges = JsonFields.bool(node, "ignore_merges", false);
    prefix = emptyToNull(JsonFields.optString(node, "continuing_subword_prefix", null));
    suffix = emptyToNull(JsonFields.optString(node, "end_of_word_suffix", null));
    List<String[]> list = data.merges() != null ? data.merges() : mergePairs(JsonFields.array(node, "merges", where), where);
    merges = new PairRanks(list.size());
    int prefixLen = prefix == null ? 0 : prefix.length();
    for (int rank = 0; rank < list.size(); rank++) {
      String[] pair = list.get(rank);
      int left = vocab.id(pair[0]);
      int right = vocab.id(pair[1]);
      if (left < 0 || right < 0) {
        throw new TokenizerException(where + ": merge #" + rank + " uses a token missing from the vocab");
      }
      String rightPart = pair[1].startsWith(prefix == null ? "" : prefix) ? pair[1].substring(prefixLen) : pair[1];
      int merged = vocab.id(pair[0] + rightPart);
      if (merged < 0) {
        throw new TokenizerException(where + ": merge #" + rank + " produces a token missing from the vocab");
      }
      merges.putIfAbsent(left, right, rank, merged);
    }
    Arrays.fill(byteIds, -1);
    for (int b = 0; b < 256; b++) byteIds[b] = vocab.id(String.format("<0x%02X>", b));
    bmpIds = new int[Character.MAX_VALUE + 1];
    Arrays.fill(bmpIds, -1);
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      if (!Character.isSurrogate(c)) bmpIds[c] = vocab.id(String.valueOf(c));
    }
  }

  public static Bpe fromJson(JsonNode node, String where) {
    return new Bpe(node, ModelData.NONE, where);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static List<String[]> mergePairs(JsonNode list, String where) {
    List<String[]> out = new java.util.ArrayList<>(list.size());
    for (int rank = 0; rank < list.size(); rank++) out.add(mergePair(list.get(rank), where, rank));
    return out;
  }

  private static String[] mergePair(JsonNode merge, String where, int rank) {
    if (merge.isArray() && merge.size() == 2) return new String[] {merge.get(0).asText(), merge.get(1).asText()};
    if (merge.isTextual()) {
      String s = merge.asText();
      int space = s.indexOf(' ', 1);
      if (space > 0) return new String[] {s.substring(0, space), s.substring(space + 1)};
    }
    throw new TokenizerException(where + ": merge #" + rank + " must be \"a b\" or [\"a\", \"b\"]");
  }

  @Override
  public void tokenize(String word, IntList out) {
    if (word.isEmpty()) return;
    int[] cached = cache.get(word);
    if (cached == null) {
      cached = encodeWord(word);
      if (word.length() <= CACHE_MAX_WORD && cache.size() < CACHE_CAPACITY) cache.put(word, cached);
    }
    out.addAll(cached);
  }

  private int[] encodeWord(String word) {
    if (ignoreMerges) {
      int whole = vocab.id(word);
      if (whole >= 0) return new int[] {whole};
    }
    IntList symbols = initialSymbols(word);
    return BpeMerger.merge(symbols, merges);
  }

  /** The word's characters as ids, before any merge. */
  private IntList initialSymbols(String word) {
    IntList ids = new IntList(word.length() + 1);
    int pendingUnk = -1;
    for (int i = 0; i < word.length(); ) {
      int cp = word.codePointAt(i);
      int next = i + Character.charCount(cp);
      int id = charId(word, i, next);
      if (id >= 0) {
        if (pendingUnk >= 0) {
          ids.add(pendingUnk);
          pendingUnk = -1;
        }
        ids.add(id);
      } else if (!addBytes(word, i, next, ids) && unkId >= 0) {
        if (pendingUnk >= 0 && !fuseUnk) ids.add(pendingUnk);
        pendingUnk = unkId;
      }
      i = next;
    }
    if (pendingUnk >= 0) ids.add(pendingUnk);
    return ids;
  }

  private int charId(String word, int start, int end) {
    boolean first = start == 0;
    boolean last = end == word.length();
    if ((prefix == null || first) && (suffix == null || !last) && end - start == 1) {
      return bmpIds[word.charAt(start)];
    }
    String s = word.substring(start, end);
    if (prefix != null && !first) s = prefix + s;
    if (suffix != null && last) s = s + suffix;
    return vocab.id(s);
  }

  private boolean addBytes(String word, int start, int end, IntList ids) {
    if (!byteFallback) return false;
    String s = word.substring(start, end);
    if (prefix != null && start > 0) s = prefix + s;
    if (suffix != null && end == word.length()) s = s + suffix;
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) if (byteIds[b & 0xff] < 0) return false;
    for (byte b : bytes) ids.add(byteIds[b & 0xff]);
    return true;
  }

  @Override
  public Vocab vocab() {
    return vocab;
  }
}

package dev.barista.tokenizer.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.IntList;
import dev.barista.tokenizer.JsonFields;
import dev.barista.tokenizer.TokenizerException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * SentencePiece's unigram model: Viterbi search for the segmentation of highest total log
 * probability. A character no piece covers costs (lowest score - 10) and becomes the unknown token;
 * adjacent unknowns fuse; with byte_fallback an unknown becomes its UTF-8 byte tokens instead.
 */
public final class Unigram implements Model {
  private static final double UNK_PENALTY = 10.0;

  private final String[] pieces;
  private final double[] scores;
  private final Map<String, Integer> ids;
  private final int unkId;
  private final boolean byteFallback;
  private final double unkScore;
  private final CharTrie trie;
  private final java.util.concurrent.ConcurrentHashMap<String, int[]> cache = new java.util.concurrent.ConcurrentHashMap<>();

  private Unigram(JsonNode node, String where) {
    JsonNode vocab = JsonFields.array(node, "vocab", where);
    pieces = new String[vocab.size()];
    scores = new double[vocab.size()];
    ids = new HashMap<>(vocab.size() * 2);
    double min = Double.MAX_VALUE;
    long chars = 0;
    for (int i = 0; i < vocab.size(); i++) {
      JsonNode entry = vocab.get(i);
      if (!entry.isArray() || entry.size() != 2) {
        throw new TokenizerException(where + ": vocab entry #" + i + " must be [piece, score]");
      }
      pieces[i] = entry.get(0).asText();
      scores[i] = entry.get(1).asDouble();
      ids.putIfAbsent(pieces[i], i);
      min = Math.min(min, scores[i]);
      chars += pieces[i].length();
    }
    trie = new CharTrie((int) Math.min(chars, 1 << 26));
    for (int i = 0; i < pieces.length; i++) trie.put(pieces[i], i);
    unkScore = min - UNK_PENALTY;
    unkId = JsonFields.integer(node, "unk_id", -1);
    if (unkId >= pieces.length) throw new TokenizerException(where + ": unk_id " + unkId + " is out of the vocab");
    byteFallback = JsonFields.bool(node, "byte_fallback", false);
  }

  public static Unigram fromJson(JsonNode node, String where) {
    return new Unigram(node, where);
  }

  @Override
  public void tokenize(String word, IntList out) {
    if (word.isEmpty()) return;
    int[] cached = cache.get(word);
    if (cached == null) {
      IntList ids = new IntList(8);
      viterbi(word, ids);
      cached = ids.toArray();
      if (word.length() <= 256 && cache.size() < 65_536) cache.put(word, cached);
    }
    out.addAll(cached);
  }

  private void viterbi(String word, IntList out) {
    int n = word.length();
    double[] best = new double[n + 1];
    int[] from = new int[n + 1];
    int[] via = new int[n + 1];
    java.util.Arrays.fill(from, -1);
    from[0] = 0;
    for (int start = 0; start < n; start++) {
      if (from[start] < 0 && start > 0) continue;
      if (Character.isLowSurrogate(word.charAt(start)) && start > 0 && Character.isHighSurrogate(word.charAt(start - 1))) continue;
      int charEnd = start + Character.charCount(word.codePointAt(start));
      boolean singleChar = false;
      int node = 0;
      for (int end = start + 1; end <= n; end++) {
        node = trie.child(node, word.charAt(end - 1));
        if (node < 0) break;
        int id = trie.value(node);
        if (id < 0 || id == unkId) continue;
        if (end < n && Character.isLowSurrogate(word.charAt(end)) && Character.isHighSurrogate(word.charAt(end - 1))) continue;
        relax(best, from, via, start, end, id, scores[id]);
        if (end == charEnd) singleChar = true;
      }
      if (!singleChar) relax(best, from, via, start, charEnd, -1, unkScore);
    }
    emit(word, from, via, out);
  }

  private static void relax(double[] best, int[] from, int[] via, int start, int end, int id, double score) {
    double candidate = best[start] + score;
    if (from[end] < 0 || candidate > best[end]) {
      best[end] = candidate;
      from[end] = start;
      via[end] = id;
    }
  }

  private void emit(String word, int[] from, int[] via, IntList out) {
    IntList ends = new IntList();
    for (int end = word.length(); end > 0; end = from[end]) ends.add(end);
    int unkStart = -1;
    for (int k = ends.size() - 1; k >= 0; k--) {
      int end = ends.get(k);
      int start = from[end];
      if (via[end] < 0) {
        if (unkStart < 0) unkStart = start;
        continue;
      }
      if (unkStart >= 0) emitUnknown(word.substring(unkStart, start), out);
      unkStart = -1;
      out.add(via[end]);
    }
    if (unkStart >= 0) emitUnknown(word.substring(unkStart), out);
  }

  private void emitUnknown(String text, IntList out) {
    if (byteFallback) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      int[] byteIds = new int[bytes.length];
      boolean all = true;
      for (int i = 0; i < bytes.length && all; i++) {
        Integer id = ids.get(String.format("<0x%02X>", bytes[i] & 0xff));
        all = id != null;
        if (all) byteIds[i] = id;
      }
      if (all) {
        out.addAll(byteIds);
        return;
      }
    }
    if (unkId < 0) throw new TokenizerException("Unigram: no piece covers '" + text + "' and unk_id is not set");
    out.add(unkId);
  }

  @Override
  public String idToToken(int id) {
    return id >= 0 && id < pieces.length ? pieces[id] : null;
  }

  @Override
  public int tokenToId(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  @Override
  public int size() {
    return pieces.length;
  }
}

package dev.barista.tokenizer.normalizer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.tokenizer.TokenizerException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.text.BreakIterator;
import java.util.Base64;

/**
 * SentencePiece's precompiled character map: a darts-clone double-array trie from UTF-8 sequences
 * to replacement strings. Applied per grapheme cluster (whole cluster first when under 6 bytes, then
 * per character), as Hugging Face does.
 */
final class Precompiled implements Normalizer {
  private final int[] units;
  private final byte[] replacements;

  private Precompiled(byte[] blob, String where) {
    if (blob.length < 4) throw new TokenizerException(where + ": precompiled_charsmap is truncated");
    ByteBuffer buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    int trieBytes = buf.getInt();
    if (trieBytes < 0 || trieBytes % 4 != 0 || 4 + trieBytes > blob.length) {
      throw new TokenizerException(where + ": precompiled_charsmap has a bad trie size");
    }
    units = new int[trieBytes / 4];
    for (int i = 0; i < units.length; i++) units[i] = buf.getInt();
    replacements = new byte[blob.length - 4 - trieBytes];
    buf.get(replacements);
  }

  static Normalizer fromJson(JsonNode node, String where) {
    JsonNode map = node.get("precompiled_charsmap");
    if (map == null || map.isNull() || map.asText().isEmpty()) return s -> s;
    try {
      return new Precompiled(Base64.getDecoder().decode(map.asText()), where);
    } catch (IllegalArgumentException e) {
      throw new TokenizerException(where + ": precompiled_charsmap is not base64", e);
    }
  }

  @Override
  public String normalize(String text) {
    StringBuilder out = new StringBuilder(text.length());
    BreakIterator graphemes = BreakIterator.getCharacterInstance();
    graphemes.setText(text);
    int start = graphemes.first();
    for (int end = graphemes.next(); end != BreakIterator.DONE; start = end, end = graphemes.next()) {
      String cluster = text.substring(start, end);
      String whole = cluster.getBytes(StandardCharsets.UTF_8).length < 6 ? transform(cluster) : null;
      if (whole != null) {
        out.append(whole);
        continue;
      }
      for (int i = 0; i < cluster.length(); ) {
        int next = i + Character.charCount(cluster.codePointAt(i));
        String ch = cluster.substring(i, next);
        String mapped = transform(ch);
        out.append(mapped == null ? ch : mapped);
        i = next;
      }
    }
    return out.toString();
  }

  /** The replacement of the first key that prefixes the chunk, or null. */
  private String transform(String chunk) {
    byte[] key = chunk.getBytes(StandardCharsets.UTF_8);
    int pos = 0;
    int unit = units[0];
    pos ^= offset(unit);
    for (byte b : key) {
      int c = b & 0xff;
      pos ^= c;
      if (pos < 0 || pos >= units.length) return null;
      unit = units[pos];
      if ((unit & ((1 << 31) | 0xFF)) != c) return null;
      pos ^= offset(unit);
      if (((unit >>> 8) & 1) == 1) return replacementAt(units[pos] & 0x7FFFFFFF);
    }
    return null;
  }

  private static int offset(int unit) {
    return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
  }

  private String replacementAt(int index) {
    int end = index;
    while (end < replacements.length && replacements[end] != 0) end++;
    return new String(replacements, index, end - index, StandardCharsets.UTF_8);
  }
}

package dev.barista.tokenizer.decoder;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** UTF-8 decoding with Rust's from_utf8_lossy replacement rules (one U+FFFD per maximal bad prefix). */
public final class Utf8 {
  private Utf8() {}

  public static String decodeLossy(byte[] bytes) {
    // Java's decoder already replaces each maximal invalid subpart, the same policy as Rust's.
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The string, or null when the bytes are not valid UTF-8. */
  public static String decodeStrict(byte[] bytes) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      CharBuffer chars = d.decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}

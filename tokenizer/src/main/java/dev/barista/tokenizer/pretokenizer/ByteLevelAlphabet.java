package dev.barista.tokenizer.pretokenizer;

import java.nio.charset.StandardCharsets;

/**
 * GPT-2's reversible map from the 256 byte values to printable characters: printable Latin-1 bytes
 * map to themselves, the others to U+0100 upwards in order.
 */
public final class ByteLevelAlphabet {
  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[0x200];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int extra = 0;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) (256 + extra++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevelAlphabet() {}

  public static String encode(String text) {
    boolean ascii = true;
    for (int i = 0; i < text.length() && ascii; i++) ascii = text.charAt(i) < 0x80;
    byte[] bytes = ascii ? null : text.getBytes(StandardCharsets.UTF_8);
    int n = ascii ? text.length() : bytes.length;
    char[] out = new char[n];
    for (int i = 0; i < n; i++) out[i] = BYTE_TO_CHAR[ascii ? text.charAt(i) : bytes[i] & 0xff];
    return new String(out);
  }

  /** The byte a character stands for, or -1 when it is not in the alphabet. */
  public static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }
}

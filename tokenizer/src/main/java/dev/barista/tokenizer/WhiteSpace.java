package dev.barista.tokenizer;

/**
 * Unicode's White_Space property, which Rust's char::is_whitespace (and so Hugging Face) uses. Java's
 * Character.isWhitespace differs: it excludes no-break spaces and includes U+001C..U+001F.
 */
public final class WhiteSpace {
  private static final int SEPARATORS =
      (1 << Character.SPACE_SEPARATOR) | (1 << Character.LINE_SEPARATOR) | (1 << Character.PARAGRAPH_SEPARATOR);

  private WhiteSpace() {}

  public static boolean is(int cp) {
    return (cp >= 0x9 && cp <= 0xd) || cp == 0x85 || (SEPARATORS >> Character.getType(cp) & 1) != 0;
  }

  public static String strip(String s, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && is(s.codePointAt(start))) start += Character.charCount(s.codePointAt(start));
    while (right && end > start && is(s.codePointBefore(end))) end -= Character.charCount(s.codePointBefore(end));
    return s.substring(start, end);
  }
}

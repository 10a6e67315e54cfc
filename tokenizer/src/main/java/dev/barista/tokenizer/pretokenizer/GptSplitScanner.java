package dev.barista.tokenizer.pretokenizer;

/**
 * A hand-written matcher for the word-splitting regexes of GPT-2 and of the Llama 3 / Qwen2 family,
 * giving the same matches as the regex (leftmost alternative first, greedy with backtracking) at a
 * fraction of the cost. The regexes are recognised by their exact source; anything else keeps the
 * regex engine. Character classes follow Java's UNICODE_CHARACTER_CLASS (\s = White_Space).
 */
final class GptSplitScanner {
  static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
  static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
  static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
      + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  private static final int LETTER = 1;
  private static final int NUMBER = 2;
  private static final int SPACE = 4;
  private static final byte[] ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) ASCII[c] = (byte) classify(c);
  }

  private final boolean llamaStyle;
  private final int maxDigits;

  private GptSplitScanner(boolean llamaStyle, int maxDigits) {
    this.llamaStyle = llamaStyle;
    this.maxDigits = maxDigits;
  }

  /** The scanner for a known regex source, or null. */
  static GptSplitScanner forRegex(String source) {
    return switch (source) {
      case GPT2 -> new GptSplitScanner(false, Integer.MAX_VALUE);
      case LLAMA3 -> new GptSplitScanner(true, 3);
      case QWEN2 -> new GptSplitScanner(true, 1);
      default -> null;
    };
  }

  private static int classify(int cp) {
    if (Character.isLetter(cp)) return LETTER;
    int type = Character.getType(cp);
    if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER) return NUMBER;
    boolean space = (((1 << Character.SPACE_SEPARATOR) | (1 << Character.LINE_SEPARATOR) | (1 << Character.PARAGRAPH_SEPARATOR)) >> type & 1) != 0
        || (cp >= 0x9 && cp <= 0xd) || cp == 0x85;
    return space ? SPACE : 0;
  }

  private static int kind(String s, int i) {
    char c = s.charAt(i);
    return c < 128 ? ASCII[c] : classify(s.codePointAt(i));
  }

  private static int next(String s, int i) {
    return i + (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1);
  }

  private static boolean isCrLf(String s, int i) {
    char c = s.charAt(i);
    return c == '\r' || c == '\n';
  }

  /** End of the match that starts at i (every position starts a match for these patterns). */
  int matchEnd(String s, int i) {
    int n = s.length();
    int end = contraction(s, i);
    if (end > 0) return end;
    int k = kind(s, i);
    if (llamaStyle) {
      // [^\r\n\p{L}\p{N}]?\p{L}+
      if (k == LETTER) return run(s, i, LETTER);
      if (k != NUMBER && !isCrLf(s, i)) {
        int j = next(s, i);
        if (j < n && kind(s, j) == LETTER) return run(s, j, LETTER);
      }
      // \p{N}{1,maxDigits}
      if (k == NUMBER) return digits(s, i);
    } else {
      // ' ?\p{L}+' and ' ?\p{N}+'
      int start = i;
      int kk = k;
      if (s.charAt(i) == ' ' && i + 1 < n) {
        int k2 = kind(s, i + 1);
        if (k2 == LETTER || k2 == NUMBER) {
          start = i + 1;
          kk = k2;
        }
      }
      if (kk == LETTER) return run(s, start, LETTER);
      if (kk == NUMBER) return run(s, start, NUMBER);
    }
    // ' ?[^\s\p{L}\p{N}]+' (+ '[\r\n]*' in the Llama style)
    int p = i;
    if (s.charAt(i) == ' ' && i + 1 < n && kind(s, i + 1) == 0) p = i + 1;
    if (kind(s, p) == 0) {
      int j = p;
      while (j < n && kind(s, j) == 0) j = next(s, j);
      if (llamaStyle) while (j < n && isCrLf(s, j)) j++;
      return j;
    }
    // whitespace alternatives
    int j = i;
    int lastCrLf = -1;
    while (j < n && kind(s, j) == SPACE) {
      if (isCrLf(s, j)) lastCrLf = j;
      j = next(s, j);
    }
    if (llamaStyle && lastCrLf >= 0) return lastCrLf + 1;
    if (j == n) return j;
    int beforeLast = j - 1;
    if (beforeLast > i && Character.isLowSurrogate(s.charAt(beforeLast))) beforeLast--;
    return beforeLast > i ? beforeLast : j;
  }

  private int digits(String s, int i) {
    int j = i;
    int count = 0;
    while (j < s.length() && count < maxDigits && kind(s, j) == NUMBER) {
      j = next(s, j);
      count++;
    }
    return j;
  }

  private static int run(String s, int i, int kind) {
    int j = i;
    while (j < s.length() && kind(s, j) == kind) j = next(s, j);
    return j;
  }

  /** 's 't 're 've 'm 'll 'd (case-insensitive in the Llama style), or -1. */
  private int contraction(String s, int i) {
    if (s.charAt(i) != '\'' || i + 1 >= s.length()) return -1;
    char a = fold(s.charAt(i + 1));
    if (a == 's' || a == 't' || a == 'm' || a == 'd') return i + 2;
    if (i + 2 >= s.length()) return -1;
    char b = fold(s.charAt(i + 2));
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return i + 3;
    return -1;
  }

  private char fold(char c) {
    return llamaStyle ? Character.toLowerCase(Character.toUpperCase(c)) : c;
  }
}

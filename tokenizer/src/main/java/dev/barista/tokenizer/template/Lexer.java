package dev.barista.tokenizer.template;

import dev.barista.tokenizer.template.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits template source into tokens with Jinja2's whitespace rules as transformers configures them:
 * trim_blocks (drop the newline after a block or comment tag), lstrip_blocks (drop the indentation
 * before a block or comment tag alone on its line), "-" and "+" modifiers, newlines normalized to
 * "\n" and one trailing newline of the template dropped.
 */
final class Lexer {
  private static final String[] OPERATORS = {
    "//", "**", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]",
    "{", "}", ",", ".", ":", "|", ";"
  };

  private final String src;
  private final int[] lineStarts;
  private final List<Token> out = new ArrayList<>();
  private int pos;
  private boolean lineStarting = true;
  private boolean stripNextData;

  private Lexer(String source) {
    String s = source.replace("\r\n", "\n").replace('\r', '\n');
    if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
    this.src = s;
    java.util.List<Integer> starts = new java.util.ArrayList<>(List.of(0));
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) == '\n') starts.add(i + 1);
    this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
  }

  static List<Token> tokenize(String source) {
    Lexer lexer = new Lexer(source);
    lexer.run();
    return lexer.out;
  }

  private void run() {
    while (pos < src.length()) {
      int tag = nextTag(pos);
      int dataEnd = tag < 0 ? src.length() : tag;
      String data = src.substring(pos, dataEnd);
      if (stripNextData) data = Py.lstrip(data);
      stripNextData = false;
      if (tag < 0) {
        emitData(data, pos);
        pos = src.length();
        break;
      }
      char type = src.charAt(tag + 1);
      char sign = tag + 2 < src.length() ? src.charAt(tag + 2) : ' ';
      if (sign == '-') {
        data = Py.rstrip(data);
      } else if (sign != '+' && type != '{') {
        data = lstripBlock(data);
      }
      emitData(data, pos);
      int bodyStart = tag + 2 + (sign == '-' || sign == '+' ? 1 : 0);
      switch (type) {
        case '#' -> comment(tag, bodyStart);
        case '{' -> expressionTag(tag, bodyStart, Kind.VAR_BEGIN, Kind.VAR_END, "}}");
        default -> {
          if (isRaw(bodyStart)) raw(tag, bodyStart);
          else expressionTag(tag, bodyStart, Kind.BLOCK_BEGIN, Kind.BLOCK_END, "%}");
        }
      }
    }
    out.add(new Token(Kind.EOF, "", line(src.length()), column(src.length())));
  }

  private int nextTag(int from) {
    int i = from;
    while ((i = src.indexOf('{', i)) >= 0 && i + 1 < src.length()) {
      char c = src.charAt(i + 1);
      if (c == '{' || c == '%' || c == '#') return i;
      i++;
    }
    return -1;
  }

  /** lstrip_blocks: whitespace between the line start and a block tag is dropped. */
  private String lstripBlock(String data) {
    int lineStart = data.lastIndexOf('\n') + 1;
    if (lineStart == 0 && !lineStarting) return data;
    String tail = data.substring(lineStart);
    return !tail.isEmpty() && Py.isBlank(tail) ? data.substring(0, lineStart) : data;
  }

  private void emitData(String data, int at) {
    if (!data.isEmpty()) out.add(new Token(Kind.DATA, data, line(at), column(at)));
  }

  private void comment(int tag, int bodyStart) {
    int end = src.indexOf("#}", bodyStart);
    if (end < 0) throw error("missing end of comment tag", tag);
    boolean strip = src.charAt(end - 1) == '-' && end - 1 >= bodyStart;
    boolean keep = src.charAt(end - 1) == '+' && end - 1 >= bodyStart;
    finishTag(end + 2, strip, !keep);
  }

  /** After a tag: "-" strips the following whitespace, trim_blocks drops one newline (block tags). */
  private void finishTag(int after, boolean stripFollowing, boolean trimNewline) {
    pos = after;
    if (stripFollowing) {
      stripNextData = true;
    } else if (trimNewline && pos < src.length() && src.charAt(pos) == '\n') {
      pos++;
    }
    lineStarting = pos > 0 && src.charAt(pos - 1) == '\n';
  }

  private boolean isRaw(int bodyStart) {
    int i = skipSpaces(bodyStart);
    return src.startsWith("raw", i) && isTagEnd(skipSpaces(i + 3));
  }

  private boolean isTagEnd(int i) {
    return src.startsWith("%}", i) || src.startsWith("-%}", i) || src.startsWith("+%}", i);
  }

  private void raw(int tag, int bodyStart) {
    int open = skipSpaces(skipSpaces(bodyStart) + 3);
    boolean stripAfterOpen = src.charAt(open) == '-';
    int contentStart = src.indexOf("%}", open) + 2;
    int search = contentStart;
    while (true) {
      int endTag = src.indexOf("{%", search);
      if (endTag < 0) throw error("missing end of raw directive", tag);
      int sign = endTag + 2;
      char signChar = src.charAt(sign);
      int name = skipSpaces(signChar == '-' || signChar == '+' ? sign + 1 : sign);
      if (src.startsWith("endraw", name) && isTagEnd(skipSpaces(name + 6))) {
        String body = src.substring(contentStart, endTag);
        if (stripAfterOpen) body = Py.lstrip(body);
        if (signChar == '-') body = Py.rstrip(body);
        else if (signChar != '+') body = lstripBlockRaw(body);
        emitData(body, contentStart);
        int close = skipSpaces(name + 6);
        boolean strip = src.charAt(close) == '-';
        boolean keep = src.charAt(close) == '+';
        finishTag(src.indexOf("%}", close) + 2, strip, !keep);
        return;
      }
      search = endTag + 2;
    }
  }

  private String lstripBlockRaw(String body) {
    int lineStart = body.lastIndexOf('\n') + 1;
    String tail = body.substring(lineStart);
    return lineStart > 0 && !tail.isEmpty() && Py.isBlank(tail) ? body.substring(0, lineStart) : body;
  }

  private int skipSpaces(int i) {
    while (i < src.length() && Character.isWhitespace(src.charAt(i))) i++;
    return i;
  }

  private void expressionTag(int tag, int bodyStart, Kind begin, Kind end, String close) {
    out.add(new Token(begin, src.substring(tag, bodyStart), line(tag), column(tag)));
    int i = bodyStart;
    int depth = 0;
    while (true) {
      i = skipSpaces(i);
      if (i >= src.length()) throw error("unexpected end of template, expected '" + close + "'", tag);
      if (depth == 0) {
        char c = src.charAt(i);
        boolean signed = (c == '-' || c == '+') && src.startsWith(close, i + 1);
        if (signed || src.startsWith(close, i)) {
          int after = i + close.length() + (signed ? 1 : 0);
          out.add(new Token(end, close, line(i), column(i)));
          finishTag(after, signed && c == '-', end == Kind.BLOCK_END && !(signed && c == '+'));
          return;
        }
      }
      i = expressionToken(i);
      Token last = out.getLast();
      if (last.kind() == Kind.OPERATOR) {
        switch (last.value()) {
          case "(", "[", "{" -> depth++;
          case ")", "]", "}" -> depth = Math.max(0, depth - 1);
          default -> { }
        }
      }
    }
  }

  private int expressionToken(int i) {
    char c = src.charAt(i);
    if (Character.isLetter(c) || c == '_') {
      int j = i + 1;
      while (j < src.length() && (Character.isLetterOrDigit(src.charAt(j)) || src.charAt(j) == '_')) j++;
      out.add(new Token(Kind.NAME, src.substring(i, j), line(i), column(i)));
      return j;
    }
    if (Character.isDigit(c)) return number(i);
    if (c == '\'' || c == '"') return string(i, c);
    for (String op : OPERATORS) {
      if (src.startsWith(op, i)) {
        out.add(new Token(Kind.OPERATOR, op, line(i), column(i)));
        return i + op.length();
      }
    }
    throw error("unexpected char '" + c + "'", i);
  }

  private int number(int i) {
    int j = i;
    while (j < src.length() && (Character.isDigit(src.charAt(j)) || src.charAt(j) == '_')) j++;
    boolean isFloat = false;
    if (j + 1 < src.length() && src.charAt(j) == '.' && Character.isDigit(src.charAt(j + 1))) {
      isFloat = true;
      j++;
      while (j < src.length() && (Character.isDigit(src.charAt(j)) || src.charAt(j) == '_')) j++;
    }
    if (j < src.length() && (src.charAt(j) == 'e' || src.charAt(j) == 'E')) {
      int k = j + 1;
      if (k < src.length() && (src.charAt(k) == '+' || src.charAt(k) == '-')) k++;
      if (k < src.length() && Character.isDigit(src.charAt(k))) {
        isFloat = true;
        j = k;
        while (j < src.length() && Character.isDigit(src.charAt(j))) j++;
      }
    }
    String text = src.substring(i, j).replace("_", "");
    out.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, line(i), column(i)));
    return j;
  }

  private int string(int i, char quote) {
    StringBuilder sb = new StringBuilder();
    int j = i + 1;
    while (true) {
      if (j >= src.length()) throw error("unexpected end of string", i);
      char c = src.charAt(j);
      if (c == quote) break;
      if (c == '\\' && j + 1 < src.length()) {
        j = escape(j + 1, sb);
        continue;
      }
      sb.append(c);
      j++;
    }
    out.add(new Token(Kind.STRING, sb.toString(), line(i), column(i)));
    return j + 1;
  }

  /** Python string escapes; unknown ones keep their backslash, as Python does. */
  private int escape(int j, StringBuilder sb) {
    char e = src.charAt(j);
    switch (e) {
      case 'n' -> sb.append('\n');
      case 't' -> sb.append('\t');
      case 'r' -> sb.append('\r');
      case '0' -> sb.append('\0');
      case 'a' -> sb.append('\u0007');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'v' -> sb.append('\u000B');
      case '\\', '\'', '"' -> sb.append(e);
      case '\n' -> { }
      case 'x', 'u', 'U' -> {
        int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (j + len >= src.length()) throw error("truncated \\" + e + " escape", j);
        sb.appendCodePoint(Integer.parseInt(src.substring(j + 1, j + 1 + len), 16));
        return j + 1 + len;
      }
      default -> sb.append('\\').append(e);
    }
    return j + 1;
  }

  /** 1-based line of a source offset (binary search over line starts). */
  private int line(int at) {
    int i = java.util.Arrays.binarySearch(lineStarts, Math.min(at, src.length()));
    return i >= 0 ? i + 1 : -i - 1;
  }

  private int column(int at) {
    return at - lineStarts[line(at) - 1] + 1;
  }

  private TemplateException error(String message, int at) {
    return new TemplateException(message, line(at), column(at));
  }
}

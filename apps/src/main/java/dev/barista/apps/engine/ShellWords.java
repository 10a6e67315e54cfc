package dev.barista.apps.engine;

import dev.barista.apps.spec.AppValidationException;
import java.util.ArrayList;
import java.util.List;

/** Splits a command-line string the way a POSIX shell does (quotes and backslashes; no expansion). */
public final class ShellWords {
  private ShellWords() {}

  public static List<String> split(String field, String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) throw unclosed(field, "'");
        word.append(text, i + 1, end);
        i = end;
        inWord = true;
      } else if (c == '"') {
        i = doubleQuoted(field, text, i + 1, word);
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < text.length() && text.charAt(i + 1) != '\n') word.append(text.charAt(i + 1));
        i++;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) words.add(word.toString());
        word.setLength(0);
        inWord = false;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) words.add(word.toString());
    return words;
  }

  /** Appends the quoted text starting at {@code i}; returns the index of the closing quote. */
  private static int doubleQuoted(String field, String text, int i, StringBuilder word) {
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') return i;
      if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) c = text.charAt(++i);
      word.append(c);
    }
    throw unclosed(field, "\"");
  }

  private static AppValidationException unclosed(String field, String quote) {
    return new AppValidationException(field, "unclosed " + quote + " quote");
  }
}

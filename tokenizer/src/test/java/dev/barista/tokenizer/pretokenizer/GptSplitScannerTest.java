package dev.barista.tokenizer.pretokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written matcher splits exactly like the regex it replaces, on random mixed text. */
class GptSplitScannerTest {
  private static final String[] POOL = {
    "a", "Z", "é", "ſ", "K", "İ", "日", "ㅎ", "ب", "1", "٣", "½", "Ⅻ", "'", "'s", "'S", "'ll", "'LL", "'re", "'Ve", "'d", "'M", "'x",
    " ", "  ", "\t", "\n", "\r", "\r\n", "\u000B", "\u00A0", "\u2028", "\u3000", "\u0085", "\u200B",
    "!", ".", ",", "-", "_", "(", "$", "🤗", "👍🏽", "\u0301", "x", "hello", "World", "42", "12345"
  };

  @ParameterizedTest
  @ValueSource(strings = {"GPT2", "LLAMA3", "QWEN2"})
  void sameSplitsAsTheRegex(String which) {
    String source = switch (which) {
      case "GPT2" -> GptSplitScanner.GPT2;
      case "LLAMA3" -> GptSplitScanner.LLAMA3;
      default -> GptSplitScanner.QWEN2;
    };
    Pattern regex = Pattern.compile(source, Pattern.UNICODE_CHARACTER_CLASS);
    GptSplitScanner scanner = GptSplitScanner.forRegex(source);
    assertNotNull(scanner);
    Random rng = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder sb = new StringBuilder();
      int parts = 1 + rng.nextInt(12);
      for (int p = 0; p < parts; p++) sb.append(POOL[rng.nextInt(POOL.length)]);
      String text = sb.toString();
      assertEquals(regexSplit(regex, text), scannerSplit(scanner, text), which + " on " + text.codePoints().mapToObj(Integer::toHexString).toList());
    }
  }

  private static List<String> regexSplit(Pattern p, String text) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    int prev = 0;
    while (m.find()) {
      if (m.start() > prev) out.add("GAP:" + text.substring(prev, m.start()));
      out.add(m.group());
      prev = m.end();
    }
    if (prev < text.length()) out.add("GAP:" + text.substring(prev));
    return out;
  }

  private static List<String> scannerSplit(GptSplitScanner s, String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0, end; i < text.length(); i = end) {
      end = s.matchEnd(text, i);
      out.add(text.substring(i, end));
    }
    return out;
  }
}

package dev.barista.tokenizer.decoder;

import java.util.ArrayList;
import java.util.List;

/** CTC output: collapses repeats, drops the pad token, turns the word delimiter into spaces. */
final class CtcDecoder implements Decoder {
  private final String pad;
  private final String delimiter;
  private final boolean cleanup;

  CtcDecoder(String pad, String delimiter, boolean cleanup) {
    this.pad = pad;
    this.delimiter = delimiter;
    this.cleanup = cleanup;
  }

  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>();
    String previous = null;
    for (String t : tokens) {
      if (t.equals(previous)) continue;
      previous = t;
      String s = t.replace(pad, "");
      if (cleanup) s = WordPieceDecoder.cleanup(s).replace(delimiter, " ");
      if (!s.isEmpty()) out.add(s);
    }
    return out;
  }
}

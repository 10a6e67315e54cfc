package dev.barista.tokenizer.decoder;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns runs of byte tokens ("<0x0A>") back into text; a run that is not valid UTF-8 becomes one
 * U+FFFD per byte.
 */
final class ByteFallbackDecoder implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    for (String token : tokens) {
      int b = byteToken(token);
      if (b >= 0) {
        run.write(b);
        continue;
      }
      flush(run, out);
      out.add(token);
    }
    flush(run, out);
    return out;
  }

  private static void flush(ByteArrayOutputStream run, List<String> out) {
    if (run.size() == 0) return;
    String text = Utf8.decodeStrict(run.toByteArray());
    if (text != null) {
      out.add(text);
    } else {
      for (int i = 0; i < run.size(); i++) out.add("\uFFFD");
    }
    run.reset();
  }

  static int byteToken(String token) {
    if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') return -1;
    try {
      return Integer.parseInt(token.substring(3, 5), 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package dev.barista.tokenizer.decoder;

import dev.barista.tokenizer.pretokenizer.ByteLevelAlphabet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps byte-alphabet characters back to bytes and decodes UTF-8 (invalid sequences become U+FFFD).
 * A token with a character outside the alphabet (an added token such as "日本") contributes its own
 * UTF-8 bytes.
 */
final class ByteLevelDecoder implements Decoder {
  @Override
  public List<String> decodeChain(List<String> tokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (String token : tokens) {
      byte[] mapped = new byte[token.length()];
      boolean ok = true;
      for (int i = 0; i < token.length() && ok; i++) {
        int b = ByteLevelAlphabet.byteOf(token.charAt(i));
        ok = b >= 0;
        mapped[i] = (byte) b;
      }
      bytes.writeBytes(ok ? mapped : token.getBytes(StandardCharsets.UTF_8));
    }
    return List.of(Utf8.decodeLossy(bytes.toByteArray()));
  }
}

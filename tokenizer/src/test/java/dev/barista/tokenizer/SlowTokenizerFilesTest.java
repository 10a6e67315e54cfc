package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte-level BPE from vocab.json + merges.txt alone, against transformers' slow GPT2Tokenizer over
 * the same files (cuda/gpu/slow_tokenizer_reference.py): plain, with add_prefix_space, and with
 * OPT's add_bos_token.
 */
class SlowTokenizerFilesTest {
  private static final Path SLOW = Path.of("src/test/resources/slow");
  @TempDir Path tmp;

  private Path folder(String config) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("t" + Math.abs(String.valueOf(config).hashCode())));
    Files.copy(SLOW.resolve("gpt2_style/vocab.json"), dir.resolve("vocab.json"));
    Files.copy(SLOW.resolve("gpt2_style/merges.txt"), dir.resolve("merges.txt"));
    if (config != null) Files.writeString(dir.resolve("tokenizer_config.json"), config);
    return dir;
  }

  @Test
  void encodingsEqualTransformersSlowTokenizer() throws Exception {
    Tokenizer plain = Tokenizer.fromDirectory(folder(null));
    Tokenizer prefixed = Tokenizer.fromDirectory(folder("{\"add_prefix_space\": true}"));
    Tokenizer bos = Tokenizer.fromDirectory(folder("{\"add_bos_token\": true, \"bos_token\": \"</s>\", \"eos_token\": \"</s>\","
        + " \"unk_token\": \"</s>\", \"pad_token\": \"<pad>\"}"));
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(SLOW.resolve("gpt2_style_reference.jsonl"));
    assertTrue(lines.size() >= 100);
    for (String line : lines) {
      JsonNode r = json.readTree(line);
      String text = r.get("text").asText();
      assertArrayEquals(ids(r.get("ids")), plain.encode(text, true), text);
      assertArrayEquals(ids(r.get("ids_prefix_space")), prefixed.encode(text, true), "prefix space: " + text);
      assertArrayEquals(ids(r.get("ids_bos")), bos.encode(text, true), "bos: " + text);
      assertEquals(r.get("decoded").asText(), plain.decode(plain.encode(text, true), false), "decode: " + text);
    }
  }

  @Test
  void gpt2sDefaultSpecialTokenIsAddedAfterTheVocabulary() throws Exception {
    Tokenizer plain = Tokenizer.fromDirectory(folder(null));
    // transformers' converter gives <|endoftext|> the id after the 1,500 of vocab.json
    assertArrayEquals(new int[] {1500}, plain.encode("<|endoftext|>", true));
  }

  private static int[] ids(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
    return out;
  }
}

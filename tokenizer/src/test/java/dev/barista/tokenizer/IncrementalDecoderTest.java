package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streaming decode: concatenated pieces equal the full decode, and no piece ends mid-character. */
class IncrementalDecoderTest {
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3_1", "llama2"})
  void concatenationEqualsFullDecodeOnEveryReferenceString(String family) {
    checkAll(Fixtures.tokenizer(family), family, Fixtures.jsonl("reference/tokenizers/" + family + ".jsonl"));
    checkAll(Fixtures.tokenizer(family), family, Fixtures.jsonl("fuzz/" + family + ".jsonl"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bert_wordpiece", "t5_unigram", "metaspace_bpe_bytefallback", "wordlevel_digits_punct",
      "roberta_bytelevel", "whitespace_wordpiece_nfkd", "spm_precompiled"})
  void concatenationEqualsFullDecodeOnTrainedFamilies(String name) {
    checkAll(Tokenizer.fromDirectory(Fixtures.resource("trained/" + name)), name, Fixtures.jsonl("trained/" + name + ".jsonl"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yi", "mistral_nemo"})
  void concatenationEqualsFullDecodeOnCrossCheckedFamilies(String family) {
    checkAll(Fixtures.tokenizerAt("xcheck/" + family), family, Fixtures.jsonl("xcheck/" + family + "/tokenization.jsonl"));
  }

  private static void checkAll(Tokenizer tok, String family, java.util.List<JsonNode> cases) {
    for (JsonNode c : cases) {
      for (String field : new String[] {"ids", "ids_with_special"}) {
        int[] ids = Fixtures.ints(c.get(field));
        for (boolean skip : new boolean[] {false, true}) {
          IncrementalDecoder d = tok.newIncrementalDecoder(skip);
          StringBuilder sb = new StringBuilder();
          for (int id : ids) {
            String piece = d.add(id);
            assertFalse(piece.endsWith("\uFFFD"), "piece ends in an incomplete character");
            if (!piece.isEmpty()) assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
            sb.append(piece);
          }
          sb.append(d.flush());
          assertEquals(tok.decode(ids, skip), sb.toString(), family + " " + field + " skip=" + skip + " text=" + c.get("text"));
        }
      }
    }
  }

  @Test
  void holdsBackBytesOfAnIncompleteCharacter() {
    Tokenizer tok = Fixtures.tokenizer("llama2");
    int[] ids = tok.encode("🤗", false);
    assertEquals(true, ids.length > 2, "the emoji is byte-fallback tokens");
    IncrementalDecoder d = tok.newIncrementalDecoder(true);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ids.length - 1; i++) sb.append(d.add(ids[i]));
    assertFalse(sb.toString().contains("🤗"));
    assertFalse(sb.toString().contains("\uFFFD"));
    assertEquals("🤗", sb + d.add(ids[ids.length - 1]) + d.flush());
  }
}

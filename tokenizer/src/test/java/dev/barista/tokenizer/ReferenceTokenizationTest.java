package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every reference string of every family: ids, ids with special tokens, both decodes, as HF gives them. */
class ReferenceTokenizationTest {
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3_1", "llama2"})
  void matchesHuggingFaceOnEveryReferenceString(String family) {
    List<JsonNode> cases = Fixtures.jsonl("reference/tokenizers/" + family + ".jsonl");
    assertEquals(253, cases.size());
    assertSame(family, cases);
  }

  /** 400 random strings per family (scripts, emoji, odd spaces, special tokens), HF outputs from fuzz/generate_fuzz.py. */
  @ParameterizedTest
  @ValueSource(strings = {"qwen3", "llama3_1", "llama2"})
  void matchesHuggingFaceOnRandomStrings(String family) {
    List<JsonNode> cases = Fixtures.jsonl("fuzz/" + family + ".jsonl");
    assertEquals(400, cases.size());
    assertSame(family, cases);
  }

  /**
   * Families the fixtures lack (WordPiece, Unigram, Metaspace with byte fallback, WordLevel, RoBERTa
   * byte-level with lstrip/single_word added tokens...), trained small by HF tokenizers with HF's
   * outputs recorded (trained/train_and_reference.py).
   */
  @ParameterizedTest
  @ValueSource(strings = {"bert_wordpiece", "t5_unigram", "metaspace_bpe_bytefallback", "wordlevel_digits_punct",
      "roberta_bytelevel", "whitespace_wordpiece_nfkd", "spm_precompiled"})
  void matchesHuggingFaceOnTrainedFamilies(String name) {
    Tokenizer tok = Tokenizer.fromDirectory(Fixtures.resource("trained/" + name));
    assertSame(tok, Fixtures.jsonl("trained/" + name + ".jsonl"));
  }

  /**
   * Real tokenizers of families the shared references lack (Yi: SentencePiece-style BPE with byte
   * fallback and no prefix space under a Llama class with add_bos_token off; Mistral Nemo: the Tekken
   * split regex, 1000 added tokens, TemplateProcessing BOS), on the reference strings, hard cases and
   * random mixes with their added tokens; expected outputs from transformers.js (src/test/js).
   */
  @ParameterizedTest
  @ValueSource(strings = {"yi", "mistral_nemo"})
  void matchesTransformersJsOnCrossCheckedFamilies(String family) {
    List<JsonNode> cases = Fixtures.jsonl("xcheck/" + family + "/tokenization.jsonl");
    assertEquals(true, cases.size() > 500, "cases: " + cases.size());
    assertSame(Fixtures.tokenizerAt("xcheck/" + family), cases);
  }

  /** Pre-tokenizer behaviors, decoders and normalizers in ten small HF-trained tokenizers (trained/combos.py). */
  @org.junit.jupiter.api.Test
  void matchesHuggingFaceOnComponentCombinations() {
    List<String> failures = new ArrayList<>();
    List<JsonNode> combos = Fixtures.jsonl("trained/combos.jsonl");
    assertEquals(10, combos.size());
    for (JsonNode combo : combos) {
      Tokenizer tok = Tokenizer.fromJson(combo.get("tokenizer").toString(), null);
      List<JsonNode> cases = new ArrayList<>();
      combo.get("cases").forEach(cases::add);
      try {
        assertSame(tok, cases);
      } catch (AssertionError e) {
        failures.add(combo.get("name").asText() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures);
  }

  private static void assertSame(String family, List<JsonNode> cases) {
    assertSame(Fixtures.tokenizer(family), cases);
  }

  private static void assertSame(Tokenizer tok, List<JsonNode> cases) {
    String family = "";
    List<String> failures = new ArrayList<>();
    for (JsonNode c : cases) {
      String text = c.get("text").asText();
      int[] ids = Fixtures.ints(c.get("ids"));
      check(failures, text, "ids", ids, tok.encode(text, false));
      check(failures, text, "ids_with_special", Fixtures.ints(c.get("ids_with_special")), tok.encode(text, true));
      check(failures, text, "decoded", c.get("decoded").asText(), tok.decode(ids, false));
      check(failures, text, "decoded_skip_special", c.get("decoded_skip_special").asText(), tok.decode(ids, true));
    }
    assertEquals(List.of(), failures, failures.size() + " mismatches");
  }

  private static void check(List<String> failures, String text, String what, Object expected, Object actual) {
    boolean same = expected instanceof int[] e ? java.util.Arrays.equals(e, (int[]) actual) : expected.equals(actual);
    if (!same) {
      String show = expected instanceof int[] e ? java.util.Arrays.toString(e) + " vs " + java.util.Arrays.toString((int[]) actual)
          : "'" + expected + "' vs '" + actual + "'";
      failures.add(what + " of '" + abbreviate(text) + "': " + abbreviate(show));
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}

package dev.barista.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Components the reference tokenizers do not use, on small hand-written tokenizer.json files. Every
 * expected value was worked out by hand from Hugging Face's documented semantics.
 */
class HandWrittenComponentsTest {
  private static Tokenizer tok(String json) {
    return Tokenizer.fromJson(json.replace('\'', '"'), null);
  }

  @Test
  void bertWordPiece() {
    Tokenizer t = tok("""
        {'normalizer': {'type': 'BertNormalizer', 'lowercase': true},
         'pre_tokenizer': {'type': 'BertPreTokenizer'},
         'post_processor': {'type': 'BertProcessing', 'sep': ['[SEP]', 3], 'cls': ['[CLS]', 2]},
         'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': true},
         'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',
           'vocab': {'[PAD]': 0, '[UNK]': 1, '[CLS]': 2, '[SEP]': 3, 'hello': 4, 'world': 5, '##s': 6,
                     'un': 7, '##aff': 8, '##able': 9, '!': 10, ',': 11}}}""");
    assertArrayEquals(new int[] {2, 4, 11, 5, 6, 10, 7, 8, 9, 3}, t.encode("Hello, Worlds! unaffable", true));
    assertArrayEquals(new int[] {4, 1}, t.encode("HÉLLO xyz", false), "accents stripped; unknown word is [UNK]");
    assertArrayEquals(new int[] {1, 1}, t.encode("日本", false), "CJK characters become separate words");
    assertEquals("hello, worlds!", t.decode(new int[] {4, 11, 5, 6, 10}, false));
  }

  @Test
  void unigramWithMetaspace() {
    Tokenizer t = tok("""
        {'pre_tokenizer': {'type': 'Metaspace', 'replacement': '▁', 'prepend_scheme': 'always', 'split': true},
         'decoder': {'type': 'Metaspace', 'replacement': '▁', 'prepend_scheme': 'always', 'split': true},
         'model': {'type': 'Unigram', 'unk_id': 0, 'vocab': [['<unk>', 0.0], ['▁', -2.0], ['▁hello', -1.0],
           ['▁h', -3.0], ['ello', -3.0], ['▁world', -1.5], ['w', -4.0], ['o', -4.0], ['x', -5.0]]}}""");
    assertArrayEquals(new int[] {2, 5}, t.encode("hello world", false));
    assertArrayEquals(new int[] {2, 1, 0}, t.encode("hello zz", false), "adjacent unknowns fuse into one <unk>");
    assertArrayEquals(new int[] {1, 6, 7}, t.encode("wo", false));
    assertEquals("hello world", t.decode(new int[] {2, 5}, false));
  }

  @Test
  void wordLevelWithWhitespace() {
    Tokenizer t = tok("""
        {'pre_tokenizer': {'type': 'Whitespace'},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', 'vocab': {'[UNK]': 0, 'hello': 1, 'world': 2, '!': 3, '?!': 4}}}""");
    assertArrayEquals(new int[] {1, 2, 4}, t.encode("hello world?!", false));
    assertArrayEquals(new int[] {1, 0}, t.encode("hello!!", false));
    assertEquals("hello world ?!", t.decode(new int[] {1, 2, 4}, false), "no decoder: tokens joined by spaces");
  }

  @Test
  void digitsAndWhitespaceSplitSequence() {
    String vocab = "'vocab': {'[UNK]': 0, 'abc': 1, '1': 2, '2': 3, '3': 4, '12': 5, 'a': 6, 'b': 7}";
    Tokenizer individual = tok("""
        {'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [{'type': 'WhitespaceSplit'}, {'type': 'Digits', 'individual_digits': true}]},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', %s}}""".formatted(vocab));
    assertArrayEquals(new int[] {1, 2, 3, 4}, individual.encode("abc   123", false));
    Tokenizer grouped = tok("""
        {'pre_tokenizer': {'type': 'Digits', 'individual_digits': false},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', %s}}""".formatted(vocab));
    assertArrayEquals(new int[] {6, 5, 7}, grouped.encode("a12b", false));
  }

  @Test
  void addedTokenFlags() {
    Tokenizer t = tok("""
        {'added_tokens': [
           {'id': 5, 'content': '<mask>', 'lstrip': true, 'rstrip': false, 'single_word': false, 'normalized': false, 'special': true},
           {'id': 6, 'content': '<sep>', 'lstrip': false, 'rstrip': true, 'single_word': false, 'normalized': false, 'special': true},
           {'id': 7, 'content': 'ing', 'lstrip': false, 'rstrip': false, 'single_word': true, 'normalized': false, 'special': false}],
         'pre_tokenizer': {'type': 'Split', 'pattern': {'String': ' '}, 'behavior': 'Isolated', 'invert': false},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', 'vocab': {'[UNK]': 0, 'hi': 1, 'there': 2, ' ': 3, 'sing': 4}}}""");
    assertArrayEquals(new int[] {1, 5, 3, 2}, t.encode("hi  <mask> there", false), "lstrip swallows the spaces before");
    assertArrayEquals(new int[] {1, 3, 6, 2}, t.encode("hi <sep>  there", false), "rstrip swallows the spaces after");
    assertArrayEquals(new int[] {4, 3, 7}, t.encode("sing ing", false), "single_word: not inside 'sing'");
    assertEquals("hi   there", t.decode(new int[] {1, 5, 3, 2}, true));
    assertEquals(true, t.isSpecial(5));
    assertEquals(false, t.isSpecial(7));
  }

  /**
   * A normalized added token is looked for by its content normalized with the tokenizer's
   * normalizer, in the normalized text (Rust's AddedVocabulary normalizes the patterns).
   */
  @Test
  void normalizedAddedTokenIsFoundByItsNormalizedContent() {
    Tokenizer t = tok("""
        {'added_tokens': [
           {'id': 9, 'content': 'New York', 'lstrip': false, 'rstrip': false, 'single_word': false, 'normalized': true, 'special': false},
           {'id': 8, 'content': 'Raw Text', 'lstrip': false, 'rstrip': false, 'single_word': false, 'normalized': false, 'special': false}],
         'normalizer': {'type': 'Sequence', 'normalizers': [{'type': 'Lowercase'}, {'type': 'Replace', 'pattern': {'String': ' '}, 'content': '_'}]},
         'pre_tokenizer': {'type': 'Split', 'pattern': {'String': '_'}, 'behavior': 'Isolated', 'invert': false},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', 'vocab': {'[UNK]': 0, 'in': 1, '_': 2, 'new': 3, 'york': 4, 'raw': 5, 'text': 6}}}""");
    assertArrayEquals(new int[] {1, 2, 9}, t.encode("in NEW YORK", false), "'New York' is looked for as 'new_york'");
    assertArrayEquals(new int[] {8, 2, 5, 2, 6}, t.encode("Raw Text raw text", false), "normalized=false: the raw content only");
  }

  @Test
  void normalizerSequence() {
    Tokenizer t = tok("""
        {'normalizer': {'type': 'Sequence', 'normalizers': [{'type': 'NFKC'}, {'type': 'Lowercase'},
           {'type': 'Replace', 'pattern': {'Regex': '\\\\s+'}, 'content': ' '}, {'type': 'Strip', 'left': true, 'right': true}]},
         'pre_tokenizer': {'type': 'WhitespaceSplit'},
         'model': {'type': 'WordLevel', 'unk_token': '[UNK]', 'vocab': {'[UNK]': 0, 'abc': 1, 'fi': 2}}}""");
    assertArrayEquals(new int[] {1, 2}, t.encode("  ＡＢＣ \t ﬁ ", false));
  }

  @Test
  void classicBpeWithEndOfWordSuffix() {
    Tokenizer t = tok("""
        {'pre_tokenizer': {'type': 'WhitespaceSplit'},
         'decoder': {'type': 'BPEDecoder', 'suffix': '</w>'},
         'model': {'type': 'BPE', 'end_of_word_suffix': '</w>',
           'vocab': {'l': 0, 'o': 1, 'w': 2, 'e': 3, 'r</w>': 4, 'lo': 5, 'low': 6, 'er</w>': 7, 'w</w>': 8},
           'merges': ['l o', 'lo w', 'e r</w>']}}""");
    assertArrayEquals(new int[] {6, 7, 5, 8}, t.encode("lower low", false));
    assertEquals("lower low", t.decode(new int[] {6, 7, 5, 8}, false));
  }

  /**
   * Unigram with byte_fallback: a run of unknown characters fuses first, then becomes the UTF-8
   * byte tokens of the whole run, or one unknown token if any byte token is missing.
   */
  @Test
  void unigramByteFallback() {
    Tokenizer t = tok("""
        {'model': {'type': 'Unigram', 'unk_id': 0, 'byte_fallback': true, 'vocab': [['<unk>', 0.0], ['a', -1.0],
           ['<0xC3>', -5.0], ['<0xA9>', -5.0], ['ab', -1.5], ['b', -1.0]]}}""");
    assertArrayEquals(new int[] {4, 2, 3}, t.encode("abé", false), "é is not a piece: its bytes C3 A9");
    assertArrayEquals(new int[] {2, 3, 2, 3, 1}, t.encode("ééa", false), "the fused run 'éé' falls back as a whole");
    assertArrayEquals(new int[] {1, 0}, t.encode("aé日", false), "日 has no byte tokens: the whole run is one <unk>");
  }

  @Test
  void byteFallbackAndFusedUnknowns() {
    Tokenizer t = tok("""
        {'decoder': {'type': 'Sequence', 'decoders': [{'type': 'ByteFallback'}, {'type': 'Fuse'}]},
         'model': {'type': 'BPE', 'unk_token': '<unk>', 'byte_fallback': true, 'fuse_unk': true,
           'vocab': {'<unk>': 0, 'a': 1, '<0xC3>': 2, '<0xA9>': 3}, 'merges': []}}""");
    assertArrayEquals(new int[] {1, 2, 3}, t.encode("aé", false), "é falls back to its UTF-8 bytes");
    assertArrayEquals(new int[] {1, 0}, t.encode("a日本", false), "bytes missing: one fused <unk>");
    assertEquals("aé", t.decode(new int[] {1, 2, 3}, false));
    assertEquals("a\uFFFD", t.decode(new int[] {1, 2}, false), "an incomplete byte run is one U+FFFD per byte");
  }
}

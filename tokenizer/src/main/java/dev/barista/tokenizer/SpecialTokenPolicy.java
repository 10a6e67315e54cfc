package dev.barista.tokenizer;

import dev.barista.tokenizer.processor.PostProcessor;
import java.util.Set;

/**
 * transformers' Llama and Gemma tokenizer classes rebuild the post-processor from
 * add_bos_token/add_eos_token of tokenizer_config.json (BOS on, EOS off by default); every other
 * class keeps tokenizer.json's post-processor.
 */
final class SpecialTokenPolicy {
  private static final Set<String> REBUILDING_CLASSES = Set.of(
      "LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast",
      "GemmaTokenizer", "GemmaTokenizerFast");

  private SpecialTokenPolicy() {}

  static PostProcessor postProcessor(PostProcessor fromFile, TokenizerConfig config, Tokenizer tokenizer) {
    if (config.tokenizerClass() == null || !REBUILDING_CLASSES.contains(config.tokenizerClass())) return fromFile;
    boolean addBos = config.addBosToken() == null || config.addBosToken();
    boolean addEos = config.addEosToken() != null && config.addEosToken();
    int bos = addBos ? idOrFail(tokenizer, config.specialTokens().get("bos_token"), "bos_token") : -1;
    int eos = addEos ? idOrFail(tokenizer, config.specialTokens().get("eos_token"), "eos_token") : -1;
    return ids -> {
      int[] out = new int[ids.length + (bos >= 0 ? 1 : 0) + (eos >= 0 ? 1 : 0)];
      int k = 0;
      if (bos >= 0) out[k++] = bos;
      System.arraycopy(ids, 0, out, k, ids.length);
      if (eos >= 0) out[out.length - 1] = eos;
      return out;
    };
  }

  private static int idOrFail(Tokenizer tokenizer, String token, String field) {
    if (token == null) throw new TokenizerException("tokenizer_config.json: add_" + field + " is set but " + field + " is missing");
    int id = tokenizer.tokenToId(token);
    if (id < 0) throw new TokenizerException("tokenizer_config.json: " + field + " '" + token + "' is not in the vocabulary");
    return id;
  }
}

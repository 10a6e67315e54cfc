package dev.barista.engine.core;

import dev.barista.tokenizer.IncrementalDecoder;
import dev.barista.tokenizer.Tokenizer;

/** {@link TextCodec} over the model folder's Hugging Face tokenizer. */
public final class TokenizerCodec implements TextCodec {
  private final Tokenizer tokenizer;

  public TokenizerCodec(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public int[] encode(String text) {
    return tokenizer.encode(text, true);
  }

  @Override
  public int[] encodePlain(String text) {
    return tokenizer.encode(text, false);
  }

  @Override
  public String decode(int[] ids, boolean skipSpecialTokens) {
    return tokenizer.decode(ids, skipSpecialTokens);
  }

  @Override
  public Incremental newIncremental(boolean skipSpecialTokens) {
    IncrementalDecoder d = tokenizer.newIncrementalDecoder(skipSpecialTokens);
    return new Incremental() {
      @Override
      public String add(int tokenId) {
        return d.add(tokenId);
      }

      @Override
      public String flush() {
        return d.flush();
      }
    };
  }
}

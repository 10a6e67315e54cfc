package dev.barista.engine.core;

import dev.barista.tokenizer.Tokenizer;
import java.nio.file.Path;

/** Finds the tokenizer of a model folder. */
public final class TextCodecs {
  private TextCodecs() {}

  /** The folder's tokenizer, or null when it has none (token-id prompts only). */
  public static TextCodec forModel(Path modelDir) {
    if (!Tokenizer.isPresentIn(modelDir)) return null;
    return new TokenizerCodec(Tokenizer.fromDirectory(modelDir));
  }
}

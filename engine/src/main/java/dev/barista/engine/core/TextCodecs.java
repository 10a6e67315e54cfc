package dev.barista.engine.core;

import java.nio.file.Path;

/** Finds the tokenizer of a model folder. */
public final class TextCodecs {
  private TextCodecs() {}

  /** The folder's tokenizer, or null when it has none (token-id prompts only). */
  public static TextCodec forModel(Path modelDir) {
    return null; // until dev.barista.tokenizer lands
  }
}

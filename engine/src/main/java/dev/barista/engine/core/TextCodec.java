package dev.barista.engine.core;

/**
 * The text side of a model as the engine needs it: prompts to ids, ids back to text, and
 * streaming decoding. Backed by the model folder's tokenizer; absent for folders without one.
 */
public interface TextCodec {

  /** Prompt text to ids, adding the special tokens the tokenizer adds to a prompt (e.g. BOS). */
  int[] encode(String text);

  /** Text to ids without special tokens (for bad words). */
  int[] encodePlain(String text);

  String decode(int[] ids, boolean skipSpecialTokens);

  /** A decoder that turns ids, one at a time, into complete characters. */
  Incremental newIncremental(boolean skipSpecialTokens);

  /** Streaming decoding of one sequence. */
  interface Incremental {
    /** Adds one id and returns the text it completes (possibly empty). */
    String add(int tokenId);

    /** Text still held back at the end of the sequence (e.g. an incomplete character). */
    default String flush() {
      return "";
    }
  }
}

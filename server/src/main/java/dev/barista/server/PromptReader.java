package dev.barista.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.SamplingFields;
import java.util.ArrayList;
import java.util.List;

/** Reads the prompts of a request: text (tokenized here) or token ids, one or many. */
final class PromptReader {
  /** One prompt: its text (null for token ids) and its token ids. */
  record Prompt(String text, List<Integer> ids) {}

  private PromptReader() {}

  /**
   * A prompt field as OpenAI's completions and embeddings take it: a string, an array of strings,
   * an array of token ids or an array of arrays of token ids (non-empty).
   */
  static List<Prompt> read(JsonNode prompt, String field, boolean addSpecial, ModelBackend backend) {
    if (prompt == null) throw ApiException.invalid(field, field + " is required");
    List<Prompt> out = new ArrayList<>();
    if (prompt.isTextual()) {
      out.add(fromText(prompt.asText(), addSpecial, backend, field));
    } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
      out.add(fromIds(RequestFields.intList(prompt, field), backend, field));
    } else if (prompt.isArray() && !prompt.isEmpty()) {
      for (int i = 0; i < prompt.size(); i++) {
        JsonNode p = prompt.get(i);
        if (p.isTextual()) out.add(fromText(p.asText(), addSpecial, backend, field));
        else if (p.isArray() && !p.isEmpty()) {
          out.add(fromIds(RequestFields.intList(p, field + "[" + i + "]"), backend, field));
        } else {
          throw ApiException.invalid(field, field + "[" + i
              + "] must be a string or a non-empty array of token ids");
        }
      }
    } else {
      throw ApiException.invalid(field, field + " must be a string, an array of strings, an "
          + "array of token ids or an array of arrays of token ids (non-empty)");
    }
    return out;
  }

  private static Prompt fromText(String text, boolean addSpecial, ModelBackend backend, String field) {
    if (!backend.hasTokenizer()) {
      throw ApiException.invalid(field, "this model has no tokenizer; send token ids");
    }
    List<Integer> ids = backend.encode(text, addSpecial);
    if (ids.isEmpty()) throw ApiException.invalid(field, field + " is empty after tokenization");
    return new Prompt(text, ids);
  }

  private static Prompt fromIds(List<Integer> ids, ModelBackend backend, String field) {
    SamplingFields.checkIds(field, ids, backend.vocabSize());
    return new Prompt(null, ids);
  }
}

package dev.barista.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.engine.api.SamplingParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the sampling fields shared by /v1/completions and /v1/chat/completions (OpenAI's plus
 * vLLM's extras) onto the model's defaults. Ranges are checked by SamplingParams itself.
 */
public final class SamplingFields {
  private SamplingFields() {}

  /** vLLM clamps logit_bias values into this range. */
  private static final double MAX_BIAS = 100;

  public static SamplingParams.Builder read(RequestFields f, SamplingParams defaults, int vocabSize) {
    SamplingParams.Builder b = defaults.toBuilder();
    Integer n = f.integer("n");
    if (n != null) b.n(n);
    Integer bestOf = f.integer("best_of");
    if (bestOf != null && bestOf != (n == null ? 1 : n)) {
      throw ApiException.invalid("best_of", "best_of is not supported; use n");
    }
    Double v;
    if ((v = f.number("temperature")) != null) b.temperature(v);
    if ((v = f.number("top_p")) != null) b.topP(v);
    if ((v = f.number("min_p")) != null) b.minP(v);
    if ((v = f.number("presence_penalty")) != null) b.presencePenalty(v);
    if ((v = f.number("frequency_penalty")) != null) b.frequencyPenalty(v);
    if ((v = f.number("repetition_penalty")) != null) b.repetitionPenalty(v);
    Integer topK = f.integer("top_k");
    if (topK != null) b.topK(topK);
    Long seed = f.longValue("seed");
    if (seed != null) b.seed(seed);
    List<String> stop = f.stringOrList("stop");
    if (stop != null) b.stop(stop);
    List<Integer> stopIds = f.intList("stop_token_ids");
    if (stopIds != null) b.stopTokenIds(checkIds("stop_token_ids", stopIds, vocabSize));
    Boolean flag;
    if ((flag = f.bool("include_stop_str_in_output")) != null) b.includeStopStrInOutput(flag);
    if ((flag = f.bool("ignore_eos")) != null) b.ignoreEos(flag);
    if ((flag = f.bool("skip_special_tokens")) != null) b.skipSpecialTokens(flag);
    if ((flag = f.bool("spaces_between_special_tokens")) != null) {
      b.spacesBetweenSpecialTokens(flag);
    }
    Integer minTokens = f.integer("min_tokens");
    if (minTokens != null) b.minTokens(minTokens);
    Integer promptLogprobs = f.integer("prompt_logprobs");
    if (promptLogprobs != null) b.promptLogprobs(promptLogprobs);
    List<Integer> allowed = f.intList("allowed_token_ids");
    if (allowed != null) b.allowedTokenIds(checkIds("allowed_token_ids", allowed, vocabSize));
    List<String> badWords = f.stringList("bad_words");
    if (badWords != null) b.badWords(badWords);
    Map<Integer, Double> bias = logitBias(f, vocabSize);
    if (bias != null) b.logitBias(bias);
    if (f.has("response_format")) rejectResponseFormat(f);
    if (f.has("guided_json") || f.has("guided_regex") || f.has("guided_choice")
        || f.has("structured_outputs")) {
      throw ApiException.invalid("structured_outputs", "structured outputs are not supported yet");
    }
    return b;
  }

  private static void rejectResponseFormat(RequestFields f) {
    RequestFields rf = f.object("response_format");
    String type = rf.string("type");
    if (!"text".equals(type)) {
      throw ApiException.invalid("response_format",
          "response_format " + type + " is not supported yet (no structured outputs); use text");
    }
  }

  private static Map<Integer, Double> logitBias(RequestFields f, int vocabSize) {
    RequestFields obj = f.object("logit_bias");
    if (obj == null) return null;
    Map<Integer, Double> out = new HashMap<>();
    var it = obj.node().fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      int id;
      try {
        id = Integer.parseInt(e.getKey().trim());
      } catch (NumberFormatException ex) {
        throw ApiException.invalid("logit_bias", "logit_bias keys must be token ids, got "
            + e.getKey());
      }
      if (!e.getValue().isNumber()) {
        throw ApiException.invalid("logit_bias", "logit_bias values must be numbers");
      }
      checkIds("logit_bias", List.of(id), vocabSize);
      double bias = Math.max(-MAX_BIAS, Math.min(MAX_BIAS, e.getValue().doubleValue()));
      out.put(id, bias);
    }
    return out;
  }

  /** Token ids must lie in the vocabulary; the message names the first bad one. */
  public static List<Integer> checkIds(String field, List<Integer> ids, int vocabSize) {
    for (int id : ids) {
      if (id < 0 || id >= vocabSize) {
        throw ApiException.invalid(field, field + " contains token id " + id
            + " outside the vocabulary [0, " + vocabSize + ")");
      }
    }
    return ids;
  }
}

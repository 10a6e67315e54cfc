package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.SamplingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of `barista generate --input`: a "prompt" or "prompt_token_ids" and optional sampling
 * fields with vLLM's names. Wrong types and unknown fields are errors naming the field.
 */
record RequestLine(PromptInput prompt, SamplingParams params) {
  private static final Set<String> FIELDS = Set.of("prompt", "prompt_token_ids", "max_tokens",
      "min_tokens", "temperature", "top_p", "top_k", "min_p", "seed", "n", "stop",
      "stop_token_ids", "ignore_eos", "logprobs", "presence_penalty", "frequency_penalty",
      "repetition_penalty", "include_stop_str_in_output", "skip_special_tokens", "logit_bias",
      "allowed_token_ids", "bad_words");

  static RequestLine parse(JsonNode line, SamplingParams.Builder defaults) {
    if (!line.isObject()) throw new InvalidParameterException("line", "each line must be a JSON object");
    for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) throw new InvalidParameterException(f, "unknown field " + f);
    }
    PromptInput prompt;
    if (line.has("prompt") == line.has("prompt_token_ids")) {
      throw new InvalidParameterException("prompt", "give exactly one of prompt or prompt_token_ids");
    } else if (line.has("prompt")) {
      prompt = PromptInput.text(text(line, "prompt"));
    } else {
      prompt = PromptInput.tokens(ints(line, "prompt_token_ids"));
    }
    SamplingParams.Builder b = defaults;
    if (line.has("max_tokens")) b.maxTokens(integer(line, "max_tokens"));
    if (line.has("min_tokens")) b.minTokens(integer(line, "min_tokens"));
    if (line.has("temperature")) b.temperature(number(line, "temperature"));
    if (line.has("top_p")) b.topP(number(line, "top_p"));
    if (line.has("top_k")) b.topK(integer(line, "top_k"));
    if (line.has("min_p")) b.minP(number(line, "min_p"));
    if (line.has("seed")) b.seed((long) integer(line, "seed"));
    if (line.has("n")) b.n(integer(line, "n"));
    if (line.has("stop")) b.stop(strings(line, "stop"));
    if (line.has("stop_token_ids")) b.stopTokenIds(ints(line, "stop_token_ids"));
    if (line.has("ignore_eos")) b.ignoreEos(bool(line, "ignore_eos"));
    if (line.has("logprobs")) b.logprobs(integer(line, "logprobs"));
    if (line.has("presence_penalty")) b.presencePenalty(number(line, "presence_penalty"));
    if (line.has("frequency_penalty")) b.frequencyPenalty(number(line, "frequency_penalty"));
    if (line.has("repetition_penalty")) b.repetitionPenalty(number(line, "repetition_penalty"));
    if (line.has("include_stop_str_in_output")) {
      b.includeStopStrInOutput(bool(line, "include_stop_str_in_output"));
    }
    if (line.has("skip_special_tokens")) b.skipSpecialTokens(bool(line, "skip_special_tokens"));
    if (line.has("logit_bias")) b.logitBias(bias(line, "logit_bias"));
    if (line.has("allowed_token_ids")) b.allowedTokenIds(ints(line, "allowed_token_ids"));
    if (line.has("bad_words")) b.badWords(strings(line, "bad_words"));
    return new RequestLine(prompt, b.build());
  }

  private static String text(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isTextual()) throw wrongType(f, "a string");
    return v.asText();
  }

  private static int integer(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw wrongType(f, "an integer");
    return v.asInt();
  }

  private static double number(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isNumber()) throw wrongType(f, "a number");
    return v.asDouble();
  }

  private static boolean bool(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isBoolean()) throw wrongType(f, "true or false");
    return v.asBoolean();
  }

  private static List<Integer> ints(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isArray()) throw wrongType(f, "an array of integers");
    List<Integer> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isIntegralNumber() || !e.canConvertToInt()) throw wrongType(f, "an array of integers");
      out.add(e.asInt());
    }
    return out;
  }

  private static List<String> strings(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw wrongType(f, "a string or an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw wrongType(f, "a string or an array of strings");
      out.add(e.asText());
    }
    return out;
  }

  private static Map<Integer, Double> bias(JsonNode line, String f) {
    JsonNode v = line.get(f);
    if (!v.isObject()) throw wrongType(f, "an object of token id to bias");
    Map<Integer, Double> out = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNumber()) throw wrongType(f, "an object of token id to bias");
      try {
        out.put(Integer.parseInt(e.getKey()), e.getValue().asDouble());
      } catch (NumberFormatException ex) {
        throw wrongType(f, "an object keyed by token ids");
      }
    }
    return out;
  }

  private static InvalidParameterException wrongType(String field, String expected) {
    return new InvalidParameterException(field, field + " must be " + expected);
  }
}

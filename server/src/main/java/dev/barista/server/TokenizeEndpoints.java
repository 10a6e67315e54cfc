package dev.barista.server;

import dev.barista.server.api.ApiException;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.SamplingFields;
import dev.barista.server.http.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** POST /tokenize (a prompt, or chat messages through the template) and POST /detokenize. */
public final class TokenizeEndpoints {
  private final ServingContext ctx;

  public TokenizeEndpoints(ServingContext ctx) {
    this.ctx = ctx;
  }

  public record TokenizeResponse(int count, int maxModelLen, List<Integer> tokens,
      List<String> tokenStrs) {}

  public record DetokenizeResponse(String prompt) {}

  public void tokenize(Exchange ex) throws Exception {
    RequestFields f = new RequestFields(Json.parseObject(ex.body()));
    ctx.models().resolve(f.string("model"));
    requireTokenizer();
    List<Integer> ids;
    if (f.has("messages")) {
      boolean addGenerationPrompt = f.bool("add_generation_prompt", true);
      boolean continueFinal = f.bool("continue_final_message", false);
      Map<String, Object> kwargs = f.plainObject("chat_template_kwargs");
      String prompt = ctx.backend().renderChat(ChatRequestReader.messages(f),
          ChatRequestReader.tools(f), addGenerationPrompt && !continueFinal, continueFinal,
          kwargs == null ? Map.of() : kwargs, f.string("chat_template"));
      ids = ctx.backend().encode(prompt, f.bool("add_special_tokens", false));
    } else {
      String prompt = f.string("prompt");
      if (prompt == null) {
        throw ApiException.invalid("prompt", "prompt (a string) or messages is required");
      }
      ids = ctx.backend().encode(prompt, f.bool("add_special_tokens", true));
    }
    List<String> strs = null;
    if (f.bool("return_token_strs", false)) {
      LogprobFormatter format = new LogprobFormatter(ctx.backend());
      strs = new ArrayList<>(ids.size());
      for (int id : ids) strs.add(format.tokenText(id));
    }
    ex.sendJson(200, new TokenizeResponse(ids.size(), ctx.backend().maxModelLen(), ids, strs));
  }

  public void detokenize(Exchange ex) throws Exception {
    RequestFields f = new RequestFields(Json.parseObject(ex.body()));
    ctx.models().resolve(f.string("model"));
    requireTokenizer();
    List<Integer> ids = f.intList("tokens");
    if (ids == null) throw ApiException.invalid("tokens", "tokens (an array of ids) is required");
    SamplingFields.checkIds("tokens", ids, ctx.backend().vocabSize());
    ex.sendJson(200, new DetokenizeResponse(ctx.backend().decode(ids, false)));
  }

  private void requireTokenizer() {
    if (!ctx.backend().hasTokenizer()) {
      throw ApiException.invalid("model", "this model has no tokenizer");
    }
  }
}

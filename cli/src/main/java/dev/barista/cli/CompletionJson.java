package dev.barista.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.sampling.TokenLogprobs;

/** The JSON object `barista generate --json` prints for one completion. */
final class CompletionJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private CompletionJson() {}

  static ObjectNode of(CompletionOutput c, boolean withText) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("index", c.index());
    if (withText) o.put("text", c.text());
    ArrayNode ids = o.putArray("token_ids");
    c.tokenIds().forEach(ids::add);
    if (c.cumulativeLogprob() != null) o.put("cumulative_logprob", c.cumulativeLogprob());
    if (c.logprobs() != null) {
      ArrayNode lps = o.putArray("logprobs");
      for (TokenLogprobs lp : c.logprobs()) {
        ObjectNode entry = lps.addObject();
        entry.put("token_id", lp.tokenId());
        entry.put("logprob", lp.logprob());
        entry.put("rank", lp.rank());
        ObjectNode top = entry.putObject("top_logprobs");
        for (int i = 0; i < lp.topTokenIds().length; i++) {
          top.put(Integer.toString(lp.topTokenIds()[i]), lp.topLogprobs()[i]);
        }
      }
    }
    o.put("finish_reason", c.finishReason());
    if (c.stopReason() instanceof Integer id) o.put("stop_reason", id);
    else if (c.stopReason() != null) o.put("stop_reason", c.stopReason().toString());
    else o.putNull("stop_reason");
    return o;
  }
}

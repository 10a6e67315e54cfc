package dev.barista.tokenizer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Batch tokenization of JSON lines: {"text", "add_special_tokens"} or {"messages", "tools",
 * "add_generation_prompt", "chat_template_kwargs"} in; {"ids"} (plus "prompt" for chats) or
 * {"error"} out, one line per input line, in order. Lines are processed in parallel chunks.
 */
public final class JsonlTokenization {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Map<String, Object>>> MAPS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int CHUNK = 4096;

  private final Tokenizer tokenizer;

  public JsonlTokenization(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Tokenizes every line of in into out; returns {lines, errors}. */
  public long[] run(BufferedReader in, Writer out) throws IOException {
    long lines = 0;
    long errors = 0;
    List<String> chunk = new ArrayList<>(CHUNK);
    String line;
    while (true) {
      line = in.readLine();
      if (line != null) chunk.add(line);
      if (chunk.size() == CHUNK || (line == null && !chunk.isEmpty())) {
        List<String> results = chunk.parallelStream().map(this::processLine).toList();
        for (String r : results) {
          out.write(r);
          out.write('\n');
          if (r.startsWith("{\"error\"")) errors++;
        }
        lines += chunk.size();
        chunk.clear();
      }
      if (line == null) break;
    }
    out.flush();
    return new long[] {lines, errors};
  }

  /** One output line for one input line; never throws for bad input. */
  public String processLine(String line) {
    ObjectNode out = JSON.createObjectNode();
    try {
      JsonNode in = JSON.readTree(line);
      if (in == null || !in.isObject()) throw new TokenizerException("line must be a JSON object");
      if (in.has("messages")) {
        String prompt = render(in);
        boolean special = in.has("add_special_tokens") && in.get("add_special_tokens").asBoolean();
        ids(out, tokenizer.encode(prompt, special));
        out.put("prompt", prompt);
      } else if (in.hasNonNull("text") && in.get("text").isTextual()) {
        boolean special = !in.has("add_special_tokens") || in.get("add_special_tokens").asBoolean();
        ids(out, tokenizer.encode(in.get("text").asText(), special));
      } else {
        throw new TokenizerException("line needs a string 'text' or a 'messages' list");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return error("malformed JSON: " + e.getOriginalMessage());
    } catch (TokenizerException | IllegalArgumentException e) {
      return error(e.getMessage());
    }
    return out.toString();
  }

  private String render(JsonNode in) {
    if (!in.get("messages").isArray()) throw new TokenizerException("'messages' must be a list");
    List<Map<String, Object>> messages = JSON.convertValue(in.get("messages"), MAPS);
    List<Map<String, Object>> tools = in.hasNonNull("tools") ? JSON.convertValue(in.get("tools"), MAPS) : null;
    Map<String, Object> kwargs = in.hasNonNull("chat_template_kwargs") ? JSON.convertValue(in.get("chat_template_kwargs"), MAP) : Map.of();
    boolean addGenerationPrompt = in.has("add_generation_prompt") && in.get("add_generation_prompt").asBoolean();
    return tokenizer.applyChatTemplate(messages, tools, addGenerationPrompt, kwargs);
  }

  private static void ids(ObjectNode out, int[] ids) {
    var array = out.putArray("ids");
    for (int id : ids) array.add(id);
  }

  private static String error(String message) {
    ObjectNode out = JSON.createObjectNode();
    out.put("error", message);
    return out.toString();
  }
}

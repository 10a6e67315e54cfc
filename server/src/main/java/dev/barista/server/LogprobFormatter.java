package dev.barista.server;

import dev.barista.engine.sampling.TokenLogprobs;
import dev.barista.server.api.ChatShapes;
import dev.barista.server.api.CompletionShapes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the engine's TokenLogprobs into OpenAI's completion and chat logprob objects. */
public final class LogprobFormatter {
  /** -inf is not JSON; vLLM reports it as this. */
  private static final float FLOOR = -9999.0f;
  private final ModelBackend backend;

  public LogprobFormatter(ModelBackend backend) {
    this.backend = backend;
  }

  /** A token's text as the client sees it (vLLM decodes each token on its own). */
  public String tokenText(int id) {
    return backend.hasTokenizer() ? backend.decode(List.of(id), false) : "token_id:" + id;
  }

  private static float clamp(float lp) {
    return Float.isFinite(lp) ? lp : FLOOR;
  }

  /**
   * The legacy completions object. {@code promptPart} (echo) comes first, its first entry without
   * logprobs; offsets count characters from {@code offset0}.
   */
  public CompletionShapes.Logprobs completion(List<TokenLogprobs> promptPart,
      List<Integer> promptIds, List<TokenLogprobs> generated, int topN, int offset0) {
    List<Integer> offsets = new ArrayList<>();
    List<Float> logprobs = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    List<Map<String, Float>> tops = new ArrayList<>();
    int offset = offset0;
    if (promptPart != null) {
      for (int i = 0; i < promptIds.size(); i++) {
        TokenLogprobs lp = i < promptPart.size() ? promptPart.get(i) : null;
        String text = tokenText(promptIds.get(i));
        offsets.add(offset);
        offset += text.length();
        tokens.add(text);
        logprobs.add(lp == null ? null : clamp(lp.logprob()));
        tops.add(lp == null ? null : topMap(lp, topN));
      }
    }
    for (TokenLogprobs lp : generated) {
      String text = tokenText(lp.tokenId());
      offsets.add(offset);
      offset += text.length();
      tokens.add(text);
      logprobs.add(clamp(lp.logprob()));
      tops.add(topMap(lp, topN));
    }
    return new CompletionShapes.Logprobs(offsets, logprobs, tokens, tops);
  }

  private Map<String, Float> topMap(TokenLogprobs lp, int topN) {
    Map<String, Float> top = new LinkedHashMap<>();
    for (int k = 0; k < Math.min(topN, lp.topTokenIds().length); k++) {
      top.put(tokenText(lp.topTokenIds()[k]), clamp(lp.topLogprobs()[k]));
    }
    top.putIfAbsent(tokenText(lp.tokenId()), clamp(lp.logprob()));
    return top;
  }

  public ChatShapes.Logprobs chat(List<TokenLogprobs> generated, int topN) {
    List<ChatShapes.TokenLogprob> content = new ArrayList<>(generated.size());
    for (TokenLogprobs lp : generated) {
      List<ChatShapes.TopLogprob> tops = new ArrayList<>();
      for (int k = 0; k < Math.min(topN, lp.topTokenIds().length); k++) {
        String t = tokenText(lp.topTokenIds()[k]);
        tops.add(new ChatShapes.TopLogprob(t, clamp(lp.topLogprobs()[k]), bytes(t)));
      }
      String t = tokenText(lp.tokenId());
      content.add(new ChatShapes.TokenLogprob(t, clamp(lp.logprob()), bytes(t), tops));
    }
    return new ChatShapes.Logprobs(content, null);
  }

  /** vLLM's prompt_logprobs: per position {token_id: {logprob, rank, decoded_token}}, first null. */
  public List<Map<String, CompletionShapes.PromptLogprob>> promptLogprobs(
      List<TokenLogprobs> prompt, int topN) {
    if (prompt == null) return null;
    List<Map<String, CompletionShapes.PromptLogprob>> out = new ArrayList<>(prompt.size());
    for (TokenLogprobs lp : prompt) {
      if (lp == null) {
        out.add(null);
        continue;
      }
      Map<String, CompletionShapes.PromptLogprob> m = new LinkedHashMap<>();
      m.put(Integer.toString(lp.tokenId()), new CompletionShapes.PromptLogprob(
          clamp(lp.logprob()), lp.rank(), tokenText(lp.tokenId())));
      for (int k = 0; k < Math.min(topN, lp.topTokenIds().length); k++) {
        int id = lp.topTokenIds()[k];
        m.putIfAbsent(Integer.toString(id), new CompletionShapes.PromptLogprob(
            clamp(lp.topLogprobs()[k]), k + 1, tokenText(id)));
      }
      out.add(m);
    }
    return out;
  }

  private static List<Integer> bytes(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    List<Integer> out = new ArrayList<>(b.length);
    for (byte x : b) out.add(x & 0xff);
    return out;
  }
}

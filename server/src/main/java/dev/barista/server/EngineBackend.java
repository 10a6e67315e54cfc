package dev.barista.server;

import dev.barista.engine.api.AsyncLLM;
import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.config.ModelConfig;
import dev.barista.engine.model.ModelLocation;
import dev.barista.engine.core.AsyncEngine;
import dev.barista.engine.core.Engines;
import dev.barista.server.api.ApiException;
import dev.barista.tokenizer.Tokenizer;
import dev.barista.tokenizer.TokenizerException;
import dev.barista.tokenizer.template.ChatTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The real model behind the server: the async engine plus the folder's tokenizer and template. */
public final class EngineBackend implements ModelBackend {
  private final AsyncEngine engine;
  private final Tokenizer tokenizer;
  private final ChatTemplate templateOverride;
  private final int vocabSize;

  private EngineBackend(AsyncEngine engine, Tokenizer tokenizer, ChatTemplate templateOverride,
      int vocabSize) {
    this.engine = engine;
    this.tokenizer = tokenizer;
    this.templateOverride = templateOverride;
    this.vocabSize = vocabSize;
  }

  /**
   * Loads the model and starts its engine.
   *
   * @param chatTemplate --chat-template: a file, or the template itself; null for the model's own
   */
  public static EngineBackend open(EngineArgs args, String chatTemplate) {
    Path folder = ModelLocation.resolve(args); // repo ids (at --revision), s3://
    int vocab = ModelConfig.load(folder).vocabSize();
    Path tokenizerFolder = ModelLocation.resolveTokenizer(args, folder); // --tokenizer-revision
    Tokenizer tokenizer = Tokenizer.isPresentIn(tokenizerFolder) ? Tokenizer.fromDirectory(tokenizerFolder) : null;
    ChatTemplate override = null;
    if (chatTemplate != null) {
      if (tokenizer == null) {
        throw new IllegalArgumentException("--chat-template needs a model folder with a tokenizer");
      }
      override = tokenizer.compileChatTemplate(templateSource(chatTemplate));
    }
    return new EngineBackend(Engines.start(args), tokenizer, override, vocab);
  }

  /** vLLM's rule: a path to a file, else the template text itself. */
  static String templateSource(String value) {
    Path p = Path.of(value);
    try {
      if (Files.isRegularFile(p)) return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read --chat-template " + value, e);
    } catch (RuntimeException invalidPath) {
      // not a path: the template itself
    }
    if (!value.contains("{{") && !value.contains("{%")) {
      throw new IllegalArgumentException("--chat-template: no such file, and not a template: "
          + value);
    }
    return value;
  }

  @Override
  public AsyncLLM engine() {
    return engine;
  }

  /** The concrete engine (tests read its bookkeeping). */
  public AsyncEngine asyncEngine() {
    return engine;
  }

  @Override
  public List<String> classLabels() {
    return engine.classLabels();
  }

  @Override
  public dev.barista.engine.weights.Tensor classifierHead() {
    return engine.classifierHead();
  }

  @Override
  public AsyncEngine.Pooling pool(String requestId, List<Integer> promptTokenIds) {
    return engine.pool(requestId, dev.barista.engine.api.PromptInput.tokens(promptTokenIds));
  }

  @Override
  public java.util.Set<Integer> eosTokenIds() {
    return engine.eosTokenIds();
  }

  @Override
  public int maxModelLen() {
    return engine.maxModelLen();
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public boolean hasTokenizer() {
    return tokenizer != null;
  }

  @Override
  public List<Integer> encode(String text, boolean addSpecialTokens) {
    return boxed(tokenizer.encode(text, addSpecialTokens));
  }

  @Override
  public String decode(List<Integer> tokenIds, boolean skipSpecialTokens) {
    int[] ids = new int[tokenIds.size()];
    for (int i = 0; i < ids.length; i++) ids[i] = tokenIds.get(i);
    return tokenizer.decode(ids, skipSpecialTokens);
  }

  @Override
  public String renderChat(List<Map<String, Object>> messages, List<Map<String, Object>> tools,
      boolean addGenerationPrompt, boolean continueFinalMessage, Map<String, Object> kwargs,
      String requestTemplate) {
    try {
      ChatTemplate template = requestTemplate != null
          ? tokenizer.compileChatTemplate(requestTemplate)
          : templateOverride != null ? templateOverride
          : tokenizer.selectChatTemplate(null, tools != null && !tools.isEmpty());
      return template.apply(messages, tools, addGenerationPrompt, continueFinalMessage, kwargs);
    } catch (TokenizerException e) {
      throw ApiException.invalid(requestTemplate != null ? "chat_template" : "messages",
          "chat template: " + e.getMessage());
    }
  }

  @Override
  public SamplingParams defaultSamplingParams() {
    return engine.defaultSamplingParams().build();
  }

  @Override
  public Map<String, Double> engineGauges() {
    EngineStats s = engine.stats();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("vllm:num_requests_running", (double) s.numRequestsRunning());
    m.put("vllm:num_requests_waiting", (double) s.numRequestsWaiting());
    m.put("vllm:kv_cache_usage_perc", s.kvCacheUsagePerc());
    m.put("vllm:prefix_cache_queries_total", (double) s.prefixCacheQueries());
    m.put("vllm:prefix_cache_hits_total", (double) s.prefixCacheHits());
    m.put("vllm:num_preemptions_total", (double) s.numPreemptions());
    return m;
  }

  private static List<Integer> boxed(int[] ids) {
    List<Integer> out = new ArrayList<>(ids.length);
    for (int id : ids) out.add(id);
    return out;
  }

  @Override
  public void close() {
    engine.close();
  }
}

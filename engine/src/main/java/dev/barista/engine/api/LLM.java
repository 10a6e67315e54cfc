package dev.barista.engine.api;

import dev.barista.engine.core.AsyncEngine;
import dev.barista.engine.core.Engines;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import dev.barista.tokenizer.Tokenizer;
import dev.barista.tokenizer.template.ChatTemplate;

/**
 * Offline inference, as vLLM's LLM: give it all prompts at once and it batches them continuously
 * on the same engine the server uses. Shows a progress bar when stderr is a terminal.
 */
public final class LLM implements AutoCloseable {
  private final AsyncEngine engine;
  private final AtomicLong requestCounter = new AtomicLong();

  public LLM(EngineArgs args) {
    this.engine = Engines.start(args);
  }

  public LLM(String model) {
    this(EngineArgs.builder(model).build());
  }

  /** The engine underneath (for streaming use and statistics). */
  public AsyncEngine engine() {
    return engine;
  }

  public EngineStats stats() {
    return engine.stats();
  }

  /** vLLM's defaults with the model's generation_config.json applied (--generation-config). */
  public SamplingParams getDefaultSamplingParams() {
    return engine.defaultSamplingParams().build();
  }

  public RequestOutput generate(String prompt, SamplingParams params) {
    return generate(List.of(PromptInput.text(prompt)), params).getFirst();
  }

  /** Generates for every prompt with the model's default sampling parameters. */
  public List<RequestOutput> generate(List<PromptInput> prompts) {
    return generate(prompts, getDefaultSamplingParams());
  }

  public List<RequestOutput> generate(List<PromptInput> prompts, SamplingParams params) {
    return generate(prompts, java.util.Collections.nCopies(prompts.size(), params), true);
  }

  /**
   * Generates for every prompt with its own parameters; outputs come back in prompt order.
   *
   * @param useTqdm show a progress bar when stderr is a terminal (vLLM's use_tqdm)
   */
  public List<RequestOutput> generate(List<PromptInput> prompts, List<SamplingParams> params,
      boolean useTqdm) {
    checkSizes(prompts.size(), params.size());
    return run(prompts.size(), i -> engine.generate(nextId(), prompts.get(i), finalOnly(params.get(i)), 0),
        useTqdm);
  }

  /**
   * vLLM's LLM.beam_search: the best {@code params.beamWidth()} continuations of each prompt,
   * best first (see {@link BeamSearch}).
   */
  public List<BeamSearchOutput> beamSearch(List<PromptInput> prompts, BeamSearchParams params) {
    List<List<Integer>> ids = tokenIds(prompts);
    var codec = engine.codec();
    try {
      return new BeamSearch(engine, engine.eosTokenIds(), codec == null ? null
          : t -> codec.decode(t.stream().mapToInt(Integer::intValue).toArray(), true), params).run(ids);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during beam search", e);
    }
  }

  /**
   * vLLM's LLM.encode with last-token pooling: for each prompt, the hidden state of its last
   * position after the final norm (what the LM head reads).
   */
  public List<PoolingRequestOutput> encode(List<PromptInput> prompts) {
    List<List<Integer>> ids = tokenIds(prompts);
    List<float[]> pooled = poolAll(ids);
    List<PoolingRequestOutput> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new PoolingRequestOutput(Integer.toString(i), ids.get(i), new PoolingOutput(pooled.get(i))));
    }
    return out;
  }

  /**
   * vLLM's LLM.embed with its default pooling for decoder-only models: the last position's
   * hidden state (see {@link #encode}), normalised to unit length.
   */
  public List<EmbeddingRequestOutput> embed(List<PromptInput> prompts) {
    List<List<Integer>> ids = tokenIds(prompts);
    List<float[]> pooled = poolAll(ids);
    List<EmbeddingRequestOutput> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new EmbeddingRequestOutput(Integer.toString(i), ids.get(i), new EmbeddingOutput(EmbeddingOutput.unitLength(pooled.get(i)))));
    }
    return out;
  }

  /**
   * vLLM's LLM.score for an embedding model: the cosine similarity of each pair's embeddings;
   * one first text pairs with every second text, else they pair up in order.
   */
  public List<ScoringRequestOutput> score(List<PromptInput> texts1, List<PromptInput> texts2) {
    if (texts1.size() != 1 && texts1.size() != texts2.size()) {
      throw new InvalidParameterException("data_1", "got " + texts1.size() + " first texts for " + texts2.size()
          + " second texts; give one, or as many");
    }
    List<PromptInput> all = new ArrayList<>(texts1);
    all.addAll(texts2);
    List<EmbeddingRequestOutput> e = embed(all);
    List<ScoringRequestOutput> out = new ArrayList<>(texts2.size());
    for (int i = 0; i < texts2.size(); i++) {
      out.add(new ScoringRequestOutput(Integer.toString(i), new ScoringOutput(EmbeddingOutput.cosine(
          e.get(texts1.size() == 1 ? 0 : i).outputs().embedding(), e.get(texts1.size() + i).outputs().embedding()))));
    }
    return out;
  }

  /**
   * vLLM's LLM.classify, for {@code *ForSequenceClassification} checkpoints: the score head over
   * each prompt's pooled state (see {@link #encode}), as probabilities (softmax over the classes;
   * the sigmoid for a single class).
   */
  public List<ClassificationRequestOutput> classify(List<PromptInput> prompts) {
    dev.barista.engine.weights.Tensor head = engine.classifierHead();
    if (head == null) {
      throw new InvalidParameterException("model", "classify needs a sequence classifier"
          + " (an *ForSequenceClassification checkpoint with a score head)");
    }
    List<List<Integer>> ids = tokenIds(prompts);
    List<float[]> pooled = poolAll(ids);
    List<ClassificationRequestOutput> out = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      out.add(new ClassificationRequestOutput(Integer.toString(i), ids.get(i), ClassificationOutput.of(head, pooled.get(i))));
    }
    return out;
  }

  private List<float[]> poolAll(List<List<Integer>> ids) {
    List<AsyncEngine.Pooling> submitted = new ArrayList<>(ids.size());
    try {
      for (List<Integer> p : ids) submitted.add(engine.pool(nextId(), PromptInput.tokens(p)));
      List<float[]> pooled = new ArrayList<>(ids.size());
      for (AsyncEngine.Pooling p : submitted) pooled.add(p.await());
      return pooled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while pooling", e);
    } finally {
      for (AsyncEngine.Pooling p : submitted) p.stream().close();
    }
  }

  /** Each prompt's token ids (text prompts through the model's tokenizer). */
  private List<List<Integer>> tokenIds(List<PromptInput> prompts) {
    List<List<Integer>> ids = new ArrayList<>(prompts.size());
    for (PromptInput p : prompts) {
      if (p.tokenIds() != null) {
        ids.add(p.tokenIds());
      } else if (engine.codec() == null) {
        throw new InvalidParameterException("prompts", "text prompts need a model folder with a tokenizer");
      } else {
        ids.add(java.util.Arrays.stream(engine.codec().encode(p.text())).boxed().toList());
      }
    }
    return ids;
  }

  /** One conversation with the model's chat template; see the full overload. */
  public RequestOutput chat(List<Map<String, Object>> messages, SamplingParams params) {
    return chat(List.of(messages), params, true, null, true, false, null, null).getFirst();
  }

  /**
   * Chats, as vLLM's LLM.chat: each conversation is rendered with the chat template (the
   * tokenizer's own, or {@code chatTemplate} when given), tokenized without adding special tokens
   * (the template has them), and generated like a prompt.
   *
   * @param conversations lists of messages ({"role": ..., "content": ...})
   * @param chatTemplate a Jinja template replacing the tokenizer's, or null
   * @param addGenerationPrompt end with the assistant header so the model answers
   * @param continueFinalMessage let the model continue the last message instead
   * @param tools tool definitions given to the template, or null
   * @param chatTemplateKwargs extra template variables (e.g. enable_thinking), or null
   */
  public List<RequestOutput> chat(List<List<Map<String, Object>>> conversations,
      SamplingParams params, boolean useTqdm, String chatTemplate, boolean addGenerationPrompt,
      boolean continueFinalMessage, List<Map<String, Object>> tools,
      Map<String, Object> chatTemplateKwargs) {
    Tokenizer tokenizer = engine.tokenizer();
    if (tokenizer == null) {
      throw new InvalidParameterException("messages", "chat needs a model folder with a tokenizer");
    }
    ChatTemplate template = chatTemplate != null ? tokenizer.compileChatTemplate(chatTemplate)
        : tokenizer.selectChatTemplate(null, tools != null && !tools.isEmpty());
    List<String> rendered = new ArrayList<>(conversations.size());
    for (List<Map<String, Object>> messages : conversations) {
      rendered.add(template.apply(messages, tools, addGenerationPrompt, continueFinalMessage,
          chatTemplateKwargs));
    }
    SamplingParams p = finalOnly(params);
    return run(rendered.size(), i -> engine.generate(nextId(), rendered.get(i),
        engine.codec().encodePlain(rendered.get(i)), p, 0), useTqdm);
  }

  private String nextId() {
    return Long.toString(requestCounter.getAndIncrement());
  }

  private static SamplingParams finalOnly(SamplingParams p) {
    return p.toBuilder().outputKind(RequestOutputKind.FINAL_ONLY).build();
  }

  private static void checkSizes(int prompts, int params) {
    if (params != prompts) {
      throw new InvalidParameterException("sampling_params",
          "got " + params + " sampling params for " + prompts + " prompts");
    }
  }

  /** Submits every request, then collects the final outputs in order. */
  private List<RequestOutput> run(int count, IntFunction<RequestOutputStream> submit,
      boolean useTqdm) {
    List<RequestOutputStream> streams = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) streams.add(submit.apply(i));
      ProgressBar bar = useTqdm ? ProgressBar.onTerminal(count) : null;
      List<RequestOutput> outputs = new ArrayList<>(count);
      for (RequestOutputStream s : streams) {
        RequestOutput last = null;
        for (RequestOutput o = s.next(); o != null; o = s.next()) last = o;
        outputs.add(last);
        if (bar != null) bar.step(last);
      }
      if (bar != null) bar.done();
      return outputs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating", e);
    } finally {
      for (RequestOutputStream s : streams) s.close(); // aborts whatever did not finish
    }
  }

  @Override
  public void close() {
    engine.close();
  }

  /** A one-line progress bar on stderr, redrawn in place. */
  private static final class ProgressBar {
    private final int total;
    private final PrintStream out = System.err;
    private final long start = System.nanoTime();
    private int done;
    private long outputTokens;

    private ProgressBar(int total) {
      this.total = total;
    }

    static ProgressBar onTerminal(int total) {
      return System.console() != null && System.console().isTerminal() ? new ProgressBar(total) : null;
    }

    void step(RequestOutput o) {
      done++;
      for (CompletionOutput c : o.outputs()) outputTokens += c.tokenIds().size();
      double secs = (System.nanoTime() - start) / 1e9;
      int width = 30;
      int filled = (int) ((long) width * done / total);
      out.printf("\rProcessed prompts: %3d%% |%s%s| %d/%d [%.1fs, %.1f toks/s]",
          100L * done / total, "#".repeat(filled), " ".repeat(width - filled), done, total, secs,
          outputTokens / Math.max(secs, 1e-9));
      out.flush();
    }

    void done() {
      out.println();
    }
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.AsyncLLM;
import dev.barista.engine.api.EngineStats;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.api.StepTimes;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link AsyncLLM} over an {@link EngineCore}. Three kinds of threads:
 *
 * <ul>
 *   <li>clients (any number, typically virtual threads) tokenize and validate their request in
 *       their own thread, then hand it to the engine loop as a command;
 *   <li>the engine loop (one platform thread) owns the core: it applies commands between steps
 *       and runs steps while anything is unfinished;
 *   <li>the output thread detokenizes, searches stop strings and feeds the clients' streams, so
 *       text work never delays a step.
 * </ul>
 */
public final class AsyncEngine implements AsyncLLM {
  private final EngineCore core;
  private final TextCodec codec;
  private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
  private final BlockingQueue<Runnable> outputTasks = new LinkedBlockingQueue<>();
  private final Map<String, RequestState> states = new ConcurrentHashMap<>();
  private final dev.barista.engine.config.GenerationConfig generation;
  private final Thread engineThread;
  private final Thread outputThread;
  private volatile EngineStats stats = EngineStats.empty();
  private volatile RuntimeException failure;
  private volatile boolean closed;

  /**
   * @param codec the model's tokenizer, or null for a folder without one (token-id prompts only)
   */
  public AsyncEngine(EngineCore core, TextCodec codec) {
    this(core, codec, dev.barista.engine.config.GenerationConfig.empty());
  }

  /** @param generation the defaults that {@link #defaultSamplingParams()} applies */
  public AsyncEngine(EngineCore core, TextCodec codec,
      dev.barista.engine.config.GenerationConfig generation) {
    this.core = core;
    this.codec = codec;
    this.generation = generation;
    engineThread = Thread.ofPlatform().name("barista-engine").daemon().unstarted(this::engineLoop);
    outputThread = Thread.ofPlatform().name("barista-output").daemon().unstarted(this::outputLoop);
    engineThread.start();
    outputThread.start();
  }

  /**
   * vLLM's default sampling parameters with the model's generation_config.json applied (as
   * --generation-config auto): a request's unset fields take these values.
   */
  public SamplingParams.Builder defaultSamplingParams() {
    return GenerationDefaults.builder(generation);
  }

  /** The core; touch it only on the engine thread ({@link #onEngineThread}). */
  EngineCore core() {
    return core;
  }

  /** The model's tokenizer as the engine uses it, or null. */
  /** A sequence classifier's class names by index (see ModelConfig.classLabels). */
  public List<String> classLabels() {
    return core.runner().config().classLabels();
  }

  /** A sequence classifier's score head, or null for other models. */
  public dev.barista.engine.weights.Tensor classifierHead() {
    return core.classifierHead();
  }

  /** The ids that end generation (config.json's and generation_config.json's). */
  public java.util.Set<Integer> eosTokenIds() {
    return core.eosTokenIds();
  }

  public TextCodec codec() {
    return codec;
  }

  /** KV-cache bytes one token takes across all layers. */
  public long kvCacheBytesPerToken() {
    int blockSize = core.scheduler().kvCacheManager().blockSize();
    return core.runner().kvCacheBytesPerBlock(blockSize) / blockSize;
  }

  /** Size of the model's vocabulary (token ids are below it). */
  public int vocabSize() {
    return core.runner().config().vocabSize();
  }

  @Override
  public int maxModelLen() {
    return core.maxModelLen();
  }

  @Override
  public EngineStats stats() {
    return stats;
  }

  /** Where the engine's steps have spent their time since it started. */
  public StepTimes stepTimes() {
    return core.stepTimes();
  }

  /** Requests submitted and not yet finished (as the output side sees them). */
  public int numUnfinishedRequests() {
    return states.size();
  }

  /** The model's Hugging Face tokenizer (chat templates, token strings), or null. */
  public dev.barista.tokenizer.Tokenizer tokenizer() {
    return codec instanceof TokenizerCodec t ? t.tokenizer() : null;
  }

  @Override
  public RequestOutputStream generate(String requestId, PromptInput prompt, SamplingParams params,
      int priority) {
    return generate(requestId, prompt.text(), promptIds(prompt), params, priority);
  }

  /**
   * Submits a prompt already tokenized by the caller (e.g. a rendered chat, which is tokenized
   * without adding special tokens); {@code promptText} is reported back and may be null.
   */
  public RequestOutputStream generate(String requestId, String promptText, int[] ids,
      SamplingParams params, int priority) {
    if (core.classifierHead() != null) {
      throw new InvalidParameterException("model", "this model is a sequence classifier: it classifies, encodes,"
          + " embeds and scores, but does not generate");
    }
    return submit(requestId, promptText, ids, params, priority);
  }

  private RequestOutputStream submit(String requestId, String promptText, int[] ids, SamplingParams params,
      int priority) {
    if (closed) throw new IllegalStateException("the engine is closed");
    if (failure != null) throw new IllegalStateException("the engine failed: " + failure.getMessage(), failure);
    validate(ids, params);
    List<SequenceSamplingState> sampling = core.samplingStates(ids, params, badWords(params));
    OutputCollector collector = new OutputCollector(requestId, params.outputKind(), this::abort);
    RequestState state = new RequestState(requestId, promptText, ids, params, codec, collector);
    if (states.putIfAbsent(requestId, state) != null) {
      throw new InvalidParameterException("request_id", "request id " + requestId + " is in use");
    }
    commands.add(() -> core.add(requestId, ids, params, priority, sampling));
    return collector;
  }

  /** A submitted pooling request: its one-token generation, and the hidden state it pools. */
  public record Pooling(RequestOutputStream stream, java.util.concurrent.CompletableFuture<float[]> pooled) {
    /** Waits for the request to end; its prompt's last hidden state (after the final norm). */
    public float[] await() throws InterruptedException {
      try (stream) {
        while (stream.next() != null) {
          // the generated token is not wanted; the hidden state arrives before the request ends
        }
      }
      if (!pooled.isDone()) throw new IllegalStateException("the request ended before its prompt was computed");
      return pooled.join();
    }
  }

  /**
   * Submits a pooling request (vLLM's encode): the prompt is computed, and the final-normed hidden
   * state of its last position comes back (one token is generated and dropped).
   */
  public Pooling pool(String requestId, PromptInput prompt) {
    java.util.concurrent.CompletableFuture<float[]> pooled = new java.util.concurrent.CompletableFuture<>();
    commands.add(() -> core.pool(requestId, pooled::complete)); // ahead of the request's own add
    try {
      return new Pooling(submit(requestId, prompt.text(), promptIds(prompt), POOLING, 0), pooled);
    } catch (RuntimeException e) {
      commands.add(() -> core.abort(requestId));
      throw e;
    }
  }

  private static final SamplingParams POOLING = SamplingParams.builder().maxTokens(1).temperature(0)
      .ignoreEos(true).detokenize(false).outputKind(dev.barista.engine.api.RequestOutputKind.FINAL_ONLY).build();

  @Override
  public void abort(String requestId) {
    commands.add(() -> core.abort(requestId));
    outputTasks.add(() -> {
      RequestState st = states.remove(requestId);
      if (st == null) return;
      st.abortAll();
      RequestOutput out = st.nextOutput();
      if (out != null) st.collector.put(out);
    });
  }

  /** Runs {@code task} on the engine loop between steps and waits for it (tests, diagnostics). */
  public <T> T onEngineThread(java.util.function.Supplier<T> task) throws InterruptedException {
    java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
    commands.add(() -> f.complete(task.get()));
    try {
      return f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private int[] promptIds(PromptInput prompt) {
    if (prompt.tokenIds() != null) {
      int[] ids = new int[prompt.tokenIds().size()];
      for (int i = 0; i < ids.length; i++) ids[i] = prompt.tokenIds().get(i);
      return ids;
    }
    if (codec == null) {
      throw new InvalidParameterException("prompt",
          "this model folder has no tokenizer: give the prompt as token ids");
    }
    return codec.encode(prompt.text());
  }

  private void validate(int[] ids, SamplingParams params) {
    if (ids.length == 0) throw new InvalidParameterException("prompt", "the prompt is empty");
    if (ids.length >= maxModelLen()) {
      throw new InvalidParameterException("prompt", "the prompt (" + ids.length
          + " tokens) leaves no room to generate within the maximum model length of "
          + maxModelLen() + " tokens");
    }
    if (!params.stop().isEmpty() && (codec == null || !params.detokenize())) {
      throw new InvalidParameterException("stop",
          "stop strings need detokenized text (a model folder with a tokenizer, detokenize=true)");
    }
  }

  private List<int[]> badWords(SamplingParams params) {
    if (params.badWords().isEmpty()) return List.of();
    if (codec == null) throw new InvalidParameterException("bad_words", "bad_words need a tokenizer");
    List<int[]> out = new ArrayList<>();
    for (String word : params.badWords()) {
      // as vLLM: the word alone and with a leading space, which BPE vocabularies encode differently
      out.add(codec.encodePlain(word));
      if (!word.startsWith(" ")) out.add(codec.encodePlain(" " + word));
    }
    return out;
  }

  private void engineLoop() {
    try {
      while (!closed) {
        Runnable cmd = core.hasUnfinished() ? commands.poll() : commands.take();
        while (cmd != null) {
          cmd.run();
          cmd = commands.poll();
        }
        if (!core.hasUnfinished()) {
          stats = core.stats();
          continue;
        }
        List<EngineCoreOutput> outs = core.step();
        stats = core.stats();
        if (!outs.isEmpty()) outputTasks.add(() -> process(outs));
        else {
          Runnable next = commands.poll(1, TimeUnit.MILLISECONDS); // nothing runnable: don't spin
          if (next != null) next.run(); // in arrival order: an abort must not overtake its add
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      RuntimeException f = e instanceof RuntimeException re ? re
          : new IllegalStateException("engine loop failed: " + e, e);
      failure = f;
      outputTasks.add(() -> failAll(f));
    }
  }

  private void outputLoop() {
    try {
      while (!closed || !outputTasks.isEmpty()) {
        Runnable task = outputTasks.poll(100, TimeUnit.MILLISECONDS);
        if (task != null) task.run();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void process(List<EngineCoreOutput> outs) {
    List<RequestState> touched = new ArrayList<>();
    for (EngineCoreOutput o : outs) {
      RequestState st = states.get(o.parentId());
      if (st == null) continue; // aborted meanwhile
      CompletionState stopped = st.apply(o);
      if (stopped != null) {
        String id = st.requestId;
        int index = stopped.index;
        commands.add(() -> core.finishCompletion(id, index));
      }
      if (touched.isEmpty() || touched.getLast() != st) touched.add(st);
    }
    for (RequestState st : touched) {
      RequestOutput out = st.nextOutput();
      if (st.finished()) states.remove(st.requestId, st); // before the client can see the end
      if (out != null) st.collector.put(out);
    }
  }

  private void failAll(RuntimeException f) {
    for (RequestState st : states.values()) st.collector.fail(f);
    states.clear();
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    commands.add(() -> {});
    try {
      engineThread.join();
      outputThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failAll(new IllegalStateException("the engine was closed"));
    core.close();
  }
}

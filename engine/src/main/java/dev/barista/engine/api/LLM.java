package dev.barista.engine.api;

import dev.barista.engine.core.AsyncEngine;
import dev.barista.engine.core.Engines;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

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
    if (params.size() != prompts.size()) {
      throw new InvalidParameterException("sampling_params",
          "got " + params.size() + " sampling params for " + prompts.size() + " prompts");
    }
    List<RequestOutputStream> streams = new ArrayList<>(prompts.size());
    try {
      for (int i = 0; i < prompts.size(); i++) {
        SamplingParams p = params.get(i).toBuilder().outputKind(RequestOutputKind.FINAL_ONLY).build();
        streams.add(engine.generate(Long.toString(requestCounter.getAndIncrement()),
            prompts.get(i), p, 0));
      }
      ProgressBar bar = useTqdm ? ProgressBar.onTerminal(prompts.size()) : null;
      List<RequestOutput> outputs = new ArrayList<>(streams.size());
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

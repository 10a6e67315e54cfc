package dev.barista.server;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Joins a request's delta outputs into whole completions (for non-streaming responses). */
public final class OutputAccumulator {

  /** One completion so far. */
  public static final class Completion {
    public final int index;
    public final StringBuilder text = new StringBuilder();
    public final List<Integer> tokenIds = new ArrayList<>();
    public List<TokenLogprobs> logprobs;
    public String finishReason;
    public Object stopReason;

    Completion(int index) {
      this.index = index;
    }
  }

  private final Map<Integer, Completion> byIndex = new TreeMap<>();
  private List<TokenLogprobs> promptLogprobs;

  public void add(RequestOutput delta) {
    if (delta.promptLogprobs() != null && promptLogprobs == null) {
      promptLogprobs = delta.promptLogprobs();
    }
    for (CompletionOutput o : delta.outputs()) {
      Completion c = byIndex.computeIfAbsent(o.index(), Completion::new);
      c.text.append(o.text());
      c.tokenIds.addAll(o.tokenIds());
      if (o.logprobs() != null) {
        if (c.logprobs == null) c.logprobs = new ArrayList<>();
        c.logprobs.addAll(o.logprobs());
      }
      if (o.finishReason() != null) {
        c.finishReason = o.finishReason();
        c.stopReason = o.stopReason();
      }
    }
  }

  /** Reads a run to its end. */
  public static OutputAccumulator drain(GenerationRun run) throws InterruptedException {
    OutputAccumulator acc = new OutputAccumulator();
    for (RequestOutput out; (out = run.next()) != null; ) acc.add(out);
    return acc;
  }

  public Collection<Completion> completions() {
    return byIndex.values();
  }

  public List<TokenLogprobs> promptLogprobs() {
    return promptLogprobs;
  }

  public int generatedTokens() {
    int sum = 0;
    for (Completion c : byIndex.values()) sum += c.tokenIds.size();
    return sum;
  }
}

package dev.barista.engine.core;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.List;

/**
 * A user request in the output processor: its completions, and the RequestOutputs it yields in
 * the request's output kind.
 */
final class RequestState {
  final String requestId;
  final String promptText;
  final List<Integer> promptTokenIds;
  final SamplingParams params;
  final CompletionState[] completions;
  final OutputCollector collector;
  final List<TokenLogprobs> promptLogprobs;
  int numCachedTokens;
  private boolean sentFinal;
  private boolean sentPromptLogprobs;

  RequestState(String requestId, String promptText, int[] promptTokenIds, SamplingParams params,
      TextCodec codec, OutputCollector collector) {
    this.requestId = requestId;
    this.promptText = promptText;
    List<Integer> ids = new ArrayList<>(promptTokenIds.length);
    for (int t : promptTokenIds) ids.add(t);
    this.promptTokenIds = List.copyOf(ids);
    this.params = params;
    this.collector = collector;
    this.promptLogprobs = params.promptLogprobs() != null ? new ArrayList<>() : null;
    if (promptLogprobs != null) promptLogprobs.add(null); // the first position has no logprob
    completions = new CompletionState[params.n()];
    boolean text = codec != null && params.detokenize();
    for (int k = 0; k < completions.length; k++) {
      completions[k] = new CompletionState(k, params,
          text ? codec.newIncremental(params.skipSpecialTokens()) : null);
    }
  }

  boolean finished() {
    for (CompletionState c : completions) if (!c.finished()) return false;
    return true;
  }

  /** Applies one engine output; returns the completion when a stop string ended it just now. */
  CompletionState apply(EngineCoreOutput o) {
    numCachedTokens = o.numCachedTokens();
    if (promptLogprobs != null) promptLogprobs.addAll(o.promptLogprobs());
    CompletionState c = completions[o.completionIndex()];
    if (c.finished()) return null; // stopped by text; the engine had not heard yet
    int n = o.newTokenIds().length;
    for (int i = 0; i < n; i++) {
      boolean stopToken = i == n - 1 && o.finishReason() == FinishReason.STOP;
      c.append(o.newTokenIds()[i], i < o.newLogprobs().size() ? o.newLogprobs().get(i) : null,
          stopToken);
      if (c.finished()) return c;
    }
    if (o.finished()) c.finish(o.finishReason(), o.stopReason());
    return null;
  }

  /** Ends every unfinished completion as aborted. */
  void abortAll() {
    for (CompletionState c : completions) c.finish(FinishReason.ABORT, null);
  }

  /** The output to deliver now in the request's kind, or null when there is none. */
  RequestOutput nextOutput() {
    if (sentFinal) return null;
    boolean done = finished();
    RequestOutputKind kind = params.outputKind();
    if (kind == RequestOutputKind.FINAL_ONLY && !done) return null;
    List<CompletionOutput> outs = new ArrayList<>(completions.length);
    for (CompletionState c : completions) {
      CompletionOutput out = kind == RequestOutputKind.DELTA ? delta(c) : cumulative(c);
      if (out != null) outs.add(out);
    }
    if (outs.isEmpty() && !done) return null;
    sentFinal = done;
    List<TokenLogprobs> prompt = promptLogprobs == null ? null : nullSafe(promptLogprobs);
    if (kind == RequestOutputKind.DELTA && prompt != null) {
      // as vLLM: a delta stream carries the prompt logprobs once, in its first output
      if (sentPromptLogprobs) prompt = null;
      sentPromptLogprobs = true;
    }
    return new RequestOutput(requestId, promptText, promptTokenIds, prompt, outs, done,
        numCachedTokens);
  }

  private static CompletionOutput cumulative(CompletionState c) {
    int visible = c.visibleTextLength();
    c.sentTokens = c.tokenIds.size();
    c.sentText = visible;
    return new CompletionOutput(c.index, c.text.substring(0, visible), List.copyOf(c.tokenIds),
        c.logprobs == null ? null : c.cumulativeLogprob,
        c.logprobs == null ? null : List.copyOf(c.logprobs), reason(c), c.stopReason);
  }

  /** What is new since the last output; null when nothing is (and it did not just finish). */
  private static CompletionOutput delta(CompletionState c) {
    int visible = c.visibleTextLength();
    boolean nothingNew = c.tokenIds.size() == c.sentTokens && visible == c.sentText
        && (!c.finished() || c.sentFinish);
    if (nothingNew) return null;
    List<Integer> tokens = List.copyOf(c.tokenIds.subList(c.sentTokens, c.tokenIds.size()));
    List<TokenLogprobs> lps = c.logprobs == null ? null
        : List.copyOf(c.logprobs.subList(c.sentLogprobs, c.logprobs.size()));
    String text = c.text.substring(c.sentText, visible);
    c.sentTokens = c.tokenIds.size();
    c.sentText = visible;
    c.sentLogprobs = c.logprobs == null ? 0 : c.logprobs.size();
    c.sentFinish = c.finished();
    return new CompletionOutput(c.index, text, tokens,
        c.logprobs == null ? null : c.cumulativeLogprob, lps, reason(c), c.stopReason);
  }

  private static String reason(CompletionState c) {
    return c.finishReason == null ? null : c.finishReason.apiName();
  }

  private static List<TokenLogprobs> nullSafe(List<TokenLogprobs> list) {
    return java.util.Collections.unmodifiableList(new ArrayList<>(list));
  }
}

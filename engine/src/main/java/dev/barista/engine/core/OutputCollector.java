package dev.barista.engine.core;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.sampling.TokenLogprobs;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The stream a client reads. It holds at most one undelivered output: a newer one replaces it, or
 * for DELTA is merged into it, so a slow reader never makes the engine queue up work.
 */
final class OutputCollector implements RequestOutputStream {
  private final String requestId;
  private final RequestOutputKind kind;
  private final Consumer<String> onEarlyClose;
  private RequestOutput pending;
  private RuntimeException failure;
  private boolean finalQueued;
  private boolean finalDelivered;
  private boolean closed;

  OutputCollector(String requestId, RequestOutputKind kind, Consumer<String> onEarlyClose) {
    this.requestId = requestId;
    this.kind = kind;
    this.onEarlyClose = onEarlyClose;
  }

  synchronized void put(RequestOutput out) {
    if (finalQueued) return;
    pending = pending == null || kind != RequestOutputKind.DELTA ? out : merge(pending, out);
    finalQueued = out.finished();
    notifyAll();
  }

  synchronized void fail(RuntimeException e) {
    if (finalQueued) return;
    failure = e;
    notifyAll();
  }

  @Override
  public synchronized RequestOutput next() throws InterruptedException {
    while (pending == null && failure == null && !finalDelivered) wait();
    if (pending != null) {
      RequestOutput out = pending;
      pending = null;
      if (out.finished()) finalDelivered = true;
      return out;
    }
    if (finalDelivered) return null;
    throw failure;
  }

  @Override
  public void close() {
    boolean abort;
    synchronized (this) {
      abort = !closed && !finalQueued;
      closed = true;
    }
    if (abort) onEarlyClose.accept(requestId);
  }

  private static RequestOutput merge(RequestOutput a, RequestOutput b) {
    TreeMap<Integer, CompletionOutput> byIndex = new TreeMap<>();
    for (CompletionOutput c : a.outputs()) byIndex.put(c.index(), c);
    for (CompletionOutput c : b.outputs()) byIndex.merge(c.index(), c, OutputCollector::concat);
    List<TokenLogprobs> promptLogprobs =
        b.promptLogprobs() != null ? b.promptLogprobs() : a.promptLogprobs(); // sent once
    return new RequestOutput(b.requestId(), b.prompt(), b.promptTokenIds(), promptLogprobs,
        List.copyOf(byIndex.values()), b.finished(), b.numCachedTokens());
  }

  private static CompletionOutput concat(CompletionOutput a, CompletionOutput b) {
    List<Integer> tokens = new ArrayList<>(a.tokenIds());
    tokens.addAll(b.tokenIds());
    List<TokenLogprobs> lps = null;
    if (a.logprobs() != null || b.logprobs() != null) {
      lps = new ArrayList<>();
      if (a.logprobs() != null) lps.addAll(a.logprobs());
      if (b.logprobs() != null) lps.addAll(b.logprobs());
    }
    return new CompletionOutput(b.index(), a.text() + b.text(), List.copyOf(tokens),
        b.cumulativeLogprob(), lps == null ? null : List.copyOf(lps), b.finishReason(),
        b.stopReason());
  }
}

package dev.barista.server.metrics;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import java.util.ArrayList;
import java.util.List;

/** Times one engine request from the server's side: TTFT, inter-token gaps, end to end. */
public final class RequestTimer {
  private final ServerMetrics metrics;
  private final long startNanos = System.nanoTime();
  private final int promptTokens;
  private final List<String> finishReasons = new ArrayList<>();
  private long lastTokenNanos;
  private int generated;
  private boolean done;

  RequestTimer(ServerMetrics metrics, int promptTokens) {
    this.metrics = metrics;
    this.promptTokens = promptTokens;
  }

  /** Records one delta output (new tokens of any of the n completions). */
  public void onOutput(RequestOutput delta) {
    int fresh = 0;
    for (CompletionOutput o : delta.outputs()) {
      fresh += o.tokenIds().size();
      if (o.finishReason() != null) finishReasons.add(o.finishReason());
    }
    if (fresh == 0) return;
    long now = System.nanoTime();
    if (generated == 0) metrics.timeToFirstToken.observe((now - startNanos) / 1e9);
    else metrics.interTokenLatency.observe((now - lastTokenNanos) / 1e9 / fresh);
    lastTokenNanos = now;
    generated += fresh;
    metrics.generationTokens.add(fresh);
  }

  public void finish() {
    end(finishReasons);
  }

  public void abort() {
    end(List.of("abort"));
  }

  private void end(List<String> reasons) {
    if (done) return;
    done = true;
    metrics.endRequest(this, (System.nanoTime() - startNanos) / 1e9, promptTokens, generated,
        reasons);
  }
}

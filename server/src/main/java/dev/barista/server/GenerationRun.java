package dev.barista.server;

import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.api.SamplingParams;
import dev.barista.server.metrics.RequestTimer;
import java.util.List;

/**
 * One engine request for one tokenized prompt, read as deltas and timed for /metrics. Closing it
 * before the engine finished aborts the request (client gone, error, shutdown).
 */
public final class GenerationRun implements AutoCloseable {
  private final ServingContext ctx;
  private final String requestId;
  private final RequestOutputStream stream;
  private final RequestTimer timer;
  private final int promptTokens;
  private boolean finished;

  public GenerationRun(ServingContext ctx, String requestId, List<Integer> promptIds,
      SamplingParams params, int priority) {
    this.ctx = ctx;
    this.requestId = requestId;
    this.promptTokens = promptIds.size();
    SamplingParams delta = params.toBuilder().outputKind(RequestOutputKind.DELTA).build();
    this.timer = ctx.metrics().start(promptIds.size(), params.n());
    this.stream = ctx.backend().engine().generate(requestId, PromptInput.tokens(promptIds), delta,
        priority);
  }

  public String requestId() {
    return requestId;
  }

  public int promptTokens() {
    return promptTokens;
  }

  /** The next delta, or null once the request has finished. */
  public RequestOutput next() throws InterruptedException {
    if (finished) return null;
    RequestOutput out = stream.next();
    if (out == null) {
      finished = true;
      timer.finish();
      return null;
    }
    timer.onOutput(out);
    if (out.finished()) {
      finished = true;
      timer.finish();
    }
    return out;
  }

  /** Aborts in the engine (from any thread): used when the client disconnects while waiting. */
  public void abort() {
    ctx.backend().engine().abort(requestId);
  }

  @Override
  public void close() {
    if (!finished) {
      timer.abort();
      finished = true;
      stream.close();
      ctx.backend().engine().abort(requestId);
    }
  }
}

package dev.barista.server.bench;

import dev.barista.engine.api.AsyncLLM;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.api.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The same load as over HTTP, sent to the engine in-process: the baseline for server overhead. */
public final class EngineTarget implements BenchTarget {
  private final AsyncLLM engine;
  private final AtomicLong ids = new AtomicLong();

  public EngineTarget(AsyncLLM engine) {
    this.engine = engine;
  }

  @Override
  public RequestTiming run(BenchRequest r) {
    SamplingParams params = SamplingParams.builder().temperature(0).ignoreEos(true)
        .maxTokens(r.outputLen()).outputKind(RequestOutputKind.DELTA).build();
    long start = System.nanoTime();
    long first = 0;
    long last = 0;
    int tokens = 0;
    List<Long> itl = new ArrayList<>();
    try (RequestOutputStream stream = engine.generate("bench-" + ids.incrementAndGet(),
        PromptInput.tokens(r.prompt()), params, 0)) {
      for (RequestOutput out; (out = stream.next()) != null; ) {
        int fresh = 0;
        for (CompletionOutput o : out.outputs()) fresh += o.tokenIds().size();
        if (fresh == 0) continue;
        long now = System.nanoTime();
        if (first == 0) first = now;
        else itl.add(now - last);
        last = now;
        tokens += fresh;
      }
    } catch (Exception e) {
      return RequestTiming.failed(e.toString());
    }
    if (first == 0) return RequestTiming.failed("no tokens were generated");
    return new RequestTiming(null, r.prompt().size(), tokens, first - start, itl,
        System.nanoTime() - start);
  }
}

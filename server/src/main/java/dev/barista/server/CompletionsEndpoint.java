package dev.barista.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.BeamSearch;
import dev.barista.engine.api.BeamSearchOutput;
import dev.barista.engine.api.BeamSearchParams;
import dev.barista.engine.api.BeamSearchSequence;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import dev.barista.server.PromptReader.Prompt;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.CompletionShapes;
import dev.barista.server.api.CompletionShapes.Choice;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.SamplingFields;
import dev.barista.server.api.Usage;
import dev.barista.server.http.Endpoint;
import dev.barista.server.http.Exchange;
import dev.barista.server.http.SseStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /v1/completions: text, texts, token ids or lists of token ids; n, echo, logprobs, stream;
 * vLLM's use_beam_search (n beams, length_penalty), not streamed.
 */
public final class CompletionsEndpoint implements Endpoint {
  /** vLLM's default max_logprobs. */
  static final int MAX_LOGPROBS = 20;
  private static final int DEFAULT_MAX_TOKENS = 16;
  private final ServingContext ctx;
  private final LogprobFormatter format;

  public CompletionsEndpoint(ServingContext ctx) {
    this.ctx = ctx;
    this.format = new LogprobFormatter(ctx.backend());
  }

  private List<Prompt> prompts(JsonNode prompt, boolean addSpecial) {
    return PromptReader.read(prompt, "prompt", addSpecial, ctx.backend());
  }

  /** @param beam the beam search's parameters, or null for sampling */
  private record Job(String id, long created, String model, List<Prompt> prompts,
      List<SamplingParams> params, boolean echo, Integer logprobs, Integer promptLogprobs,
      StreamOptions stream, int priority, BeamSearchParams beam) {}

  @Override
  public void handle(Exchange ex) throws Exception {
    Job job = prepare(new RequestFields(Json.parseObject(ex.body())));
    if (job.beam != null) ex.sendJson(200, collectBeams(job));
    else if (job.stream.stream()) stream(ex, job);
    else ex.sendJson(200, collect(job, ex));
  }

  /** A non-streaming completion for a request body (run-batch uses this without HTTP). */
  public CompletionShapes.Response respond(ObjectNode body) throws InterruptedException {
    Job job = prepare(new RequestFields(body));
    if (job.stream.stream()) throw ApiException.invalid("stream", "stream is not supported here");
    return job.beam != null ? collectBeams(job) : collect(job, null);
  }

  private Job prepare(RequestFields f) {
    String model = ctx.models().resolve(f.string("model"));
    if (f.has("suffix")) throw ApiException.invalid("suffix", "suffix is not supported");
    boolean addSpecial = f.bool("add_special_tokens", true);
    List<Prompt> prompts = prompts(f.raw("prompt"), addSpecial);
    SamplingParams.Builder base = SamplingFields.read(f, ctx.backend().defaultSamplingParams(),
        ctx.backend().vocabSize());
    Integer logprobs = f.integer("logprobs");
    if (logprobs != null && (logprobs < 0 || logprobs > MAX_LOGPROBS)) {
      throw ApiException.invalid("logprobs", "logprobs must be in [0, " + MAX_LOGPROBS + "], got "
          + logprobs);
    }
    boolean echo = f.bool("echo", false);
    Integer promptLogprobs = f.integer("prompt_logprobs");
    base.logprobs(logprobs);
    if (echo && logprobs != null) base.promptLogprobs(Math.max(logprobs, nz(promptLogprobs)));
    Integer requested = f.has("max_tokens") ? f.integer("max_tokens") : DEFAULT_MAX_TOKENS;
    List<SamplingParams> params = new ArrayList<>();
    for (Prompt p : prompts) {
      int max = ContextLimit.maxTokens(p.ids().size(), requested, ctx.backend().maxModelLen(),
          "max_tokens");
      params.add(base.maxTokens(max).build());
    }
    Integer priority = f.integer("priority");
    StreamOptions stream = StreamOptions.read(f);
    return new Job(ServingContext.newId("cmpl"), System.currentTimeMillis() / 1000, model,
        prompts, params, echo, logprobs, promptLogprobs, stream,
        priority == null ? 0 : priority, beamSearch(f, params, stream));
  }

  /**
   * vLLM's use_beam_search: n beams of up to max_tokens (as the context allows the longest prompt),
   * greedy steps unless temperature is given.
   */
  static BeamSearchParams beamSearch(RequestFields f, List<SamplingParams> params, StreamOptions stream) {
    if (!f.bool("use_beam_search", false)) return null;
    SamplingParams sampling = params.getFirst();
    int maxTokens = params.stream().mapToInt(SamplingParams::maxTokens).min().orElseThrow();
    if (stream.stream()) throw ApiException.invalid("stream", "stream is not supported with use_beam_search");
    Double temperature = f.number("temperature");
    Double lengthPenalty = f.number("length_penalty");
    try {
      return new BeamSearchParams(sampling.n(), maxTokens, sampling.ignoreEos(),
          temperature == null ? 0 : temperature, lengthPenalty == null ? 1.0 : lengthPenalty);
    } catch (dev.barista.engine.api.InvalidParameterException e) {
      throw ApiException.invalid(e.field(), e.getMessage());
    }
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }

  private String promptText(Prompt p) {
    if (p.text() != null) return p.text();
    return ctx.backend().hasTokenizer() ? ctx.backend().decode(p.ids(), false) : "";
  }

  private RunGroup submit(Job job) {
    RunGroup runs = new RunGroup();
    try {
      for (int i = 0; i < job.prompts.size(); i++) {
        String rid = job.prompts.size() == 1 ? job.id : job.id + "-" + i;
        runs.add(new GenerationRun(ctx, rid, job.prompts.get(i).ids(), job.params.get(i),
            job.priority));
      }
      ctx.log("request " + job.id + ": " + job.prompts.size() + " prompt(s), "
          + job.params.get(0));
      return runs;
    } catch (RuntimeException e) {
      runs.close();
      throw e;
    }
  }

  /** Runs to the end; {@code ex} (null without HTTP) aborts the runs if its client goes away. */
  private CompletionShapes.Response collect(Job job, Exchange ex) throws InterruptedException {
    List<Choice> choices = new ArrayList<>();
    int promptTokens = 0;
    int completionTokens = 0;
    try (RunGroup runs = submit(job)) {
      if (ex != null) ex.onFailure(runs::abortAll);
      for (int i = 0; i < job.prompts.size(); i++) {
        Prompt p = job.prompts.get(i);
        OutputAccumulator acc = OutputAccumulator.drain(runs.get(i));
        promptTokens += p.ids().size();
        completionTokens += acc.generatedTokens();
        int n = job.params.get(i).n();
        for (OutputAccumulator.Completion c : acc.completions()) {
          String prefix = job.echo ? promptText(p) : "";
          CompletionShapes.Logprobs lp = job.logprobs == null ? null : format.completion(
              job.echo ? acc.promptLogprobs() : null, p.ids(),
              c.logprobs == null ? List.of() : c.logprobs, job.logprobs, 0);
          choices.add(new Choice(i * n + c.index, prefix + c.text, lp, c.finishReason,
              c.stopReason, job.promptLogprobs == null ? null
                  : format.promptLogprobs(acc.promptLogprobs(), job.promptLogprobs)));
        }
      }
    }
    return new CompletionShapes.Response(job.id, "text_completion", job.created, job.model,
        choices, Usage.of(promptTokens, completionTokens));
  }

  /** Beam search over every prompt at once; prompt i's beams are choices i * n .. i * n + n - 1. */
  private CompletionShapes.Response collectBeams(Job job) throws InterruptedException {
    ModelBackend b = ctx.backend();
    List<List<Integer>> ids = job.prompts.stream().map(Prompt::ids).toList();
    ctx.log("request " + job.id + ": beam search over " + ids.size() + " prompt(s), " + job.beam);
    List<BeamSearchOutput> outputs = new BeamSearch(b.engine(), b.eosTokenIds(),
        b.hasTokenizer() ? t -> b.decode(t, true) : null, job.beam).run(ids);
    List<Choice> choices = new ArrayList<>();
    int promptTokens = 0;
    int completionTokens = 0;
    for (int i = 0; i < ids.size(); i++) {
      Prompt p = job.prompts.get(i);
      promptTokens += p.ids().size();
      List<BeamSearchSequence> beams = outputs.get(i).sequences();
      for (int j = 0; j < beams.size(); j++) {
        BeamSearchSequence beam = beams.get(j);
        completionTokens += beam.logprobs().size();
        CompletionShapes.Logprobs lp = job.logprobs == null ? null
            : format.completion(null, p.ids(), beam.logprobs(), job.logprobs, 0);
        choices.add(new Choice(i * job.beam.beamWidth() + j, (job.echo ? promptText(p) : "") + beam.text(), lp,
            beam.finishReason(), null, null));
      }
    }
    return new CompletionShapes.Response(job.id, "text_completion", job.created, job.model,
        choices, Usage.of(promptTokens, completionTokens));
  }

  private void stream(Exchange ex, Job job) throws Exception {
    try (RunGroup runs = submit(job)) {
      ex.onFailure(runs::abortAll);
      SseStream sse = ex.startEventStream();
      int promptTokens = 0;
      int completionTokens = 0;
      try {
        for (int i = 0; i < job.prompts.size(); i++) {
          Prompt p = job.prompts.get(i);
          promptTokens += p.ids().size();
          completionTokens += streamOne(sse, job, i, p, runs.get(i));
        }
      } catch (IOException e) {
        throw e;
      } catch (ApiException e) {
        sse.send(dev.barista.server.api.ErrorBody.of(e));
      } catch (RuntimeException e) {
        sse.send(dev.barista.server.api.ErrorBody.of(new ApiException(500, "InternalServerError",
            String.valueOf(e.getMessage()), null)));
      }
      if (job.stream.includeUsage()) {
        sse.send(new CompletionShapes.Response(job.id, "text_completion", job.created, job.model,
            List.of(), Usage.of(promptTokens, completionTokens)));
      }
      sse.done();
    }
  }

  /** Streams one prompt's completions; returns how many tokens were generated. */
  private int streamOne(SseStream sse, Job job, int promptIndex, Prompt p, GenerationRun run)
      throws IOException, InterruptedException {
    int n = job.params.get(promptIndex).n();
    Set<Integer> echoed = new HashSet<>();
    Map<Integer, Integer> offsets = new HashMap<>();
    int generated = 0;
    for (RequestOutput out; (out = run.next()) != null; ) {
      for (CompletionOutput o : out.outputs()) {
        generated += o.tokenIds().size();
        boolean echoNow = job.echo && echoed.add(o.index());
        if (o.tokenIds().isEmpty() && o.text().isEmpty() && o.finishReason() == null && !echoNow) {
          continue;
        }
        String text = (echoNow ? promptText(p) : "") + o.text();
        CompletionShapes.Logprobs lp = null;
        if (job.logprobs != null) {
          int offset = offsets.getOrDefault(o.index(), 0);
          lp = format.completion(echoNow ? out.promptLogprobs() : null, p.ids(),
              o.logprobs() == null ? List.of() : o.logprobs(), job.logprobs, offset);
          offsets.put(o.index(), offset + text.length());
        }
        sse.send(new CompletionShapes.Response(job.id, "text_completion", job.created, job.model,
            List.of(new Choice(promptIndex * n + o.index(), text, lp, o.finishReason(),
                o.stopReason(), null)), null));
      }
    }
    return generated;
  }
}

package dev.barista.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.BeamSearch;
import dev.barista.engine.api.BeamSearchParams;
import dev.barista.engine.api.BeamSearchSequence;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.TokenLogprobs;
import dev.barista.server.api.ApiException;
import dev.barista.server.api.ChatShapes;
import dev.barista.server.api.ErrorBody;
import dev.barista.server.api.Json;
import dev.barista.server.api.RequestFields;
import dev.barista.server.api.SamplingFields;
import dev.barista.server.api.Usage;
import dev.barista.server.http.Endpoint;
import dev.barista.server.http.Exchange;
import dev.barista.server.http.SseStream;
import dev.barista.server.tools.ToolCall;
import dev.barista.server.tools.ToolCallParser;
import dev.barista.server.tools.ToolParseResult;
import dev.barista.server.tools.ToolStreamFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** POST /v1/chat/completions: chat template, n, logprobs, streaming, tool calls. */
public final class ChatCompletionsEndpoint implements Endpoint {
  private final ServingContext ctx;
  private final LogprobFormatter format;

  public ChatCompletionsEndpoint(ServingContext ctx) {
    this.ctx = ctx;
    this.format = new LogprobFormatter(ctx.backend());
  }

  /**
   * A prepared request. {@code toolParser} is null unless the model's tool calls are to be parsed
   * (tools given, tool_choice auto, a parser configured).
   */
  private record Job(String id, long created, String model, List<Integer> promptIds,
      SamplingParams params, Integer topLogprobs, ToolCallParser toolParser,
      StreamOptions stream, int priority, BeamSearchParams beam) {}

  @Override
  public void handle(Exchange ex) throws Exception {
    Job job = prepare(new RequestFields(Json.parseObject(ex.body())));
    if (job.beam != null) ex.sendJson(200, collectBeams(job));
    else if (job.stream.stream()) stream(ex, job);
    else ex.sendJson(200, collect(job));
  }

  /** A non-streaming chat completion for a request body (run-batch uses this without HTTP). */
  public ChatShapes.Response respond(ObjectNode body) throws InterruptedException {
    Job job = prepare(new RequestFields(body));
    if (job.stream.stream()) throw ApiException.invalid("stream", "stream is not supported here");
    return job.beam != null ? collectBeams(job) : collect(job);
  }

  private Job prepare(RequestFields f) {
    String model = ctx.models().resolve(f.string("model"));
    if (!ctx.backend().hasTokenizer()) {
      throw ApiException.invalid("messages", "this model has no tokenizer or chat template; "
          + "use /v1/completions with token ids");
    }
    List<Map<String, Object>> messages = ChatRequestReader.messages(f);
    List<Map<String, Object>> tools = ChatRequestReader.tools(f);
    ToolCallParser parser = toolParser(f, tools);
    if (f.bool("echo", false)) throw ApiException.invalid("echo", "echo is not supported for chat");
    boolean addGenerationPrompt = f.bool("add_generation_prompt", true);
    boolean continueFinal = f.bool("continue_final_message", false);
    if (addGenerationPrompt && continueFinal && f.has("add_generation_prompt")) {
      throw ApiException.invalid("continue_final_message",
          "continue_final_message and add_generation_prompt cannot both be true");
    }
    if (continueFinal) addGenerationPrompt = false;
    Map<String, Object> kwargs = f.plainObject("chat_template_kwargs");
    String prompt = ctx.backend().renderChat(messages, tools, addGenerationPrompt, continueFinal,
        kwargs == null ? Map.of() : kwargs, f.string("chat_template"));
    List<Integer> ids = ctx.backend().encode(prompt, f.bool("add_special_tokens", false));
    SamplingParams.Builder b = SamplingFields.read(f, ctx.backend().defaultSamplingParams(),
        ctx.backend().vocabSize());
    Integer topLogprobs = logprobs(f);
    b.logprobs(topLogprobs);
    Integer promptLogprobs = f.integer("prompt_logprobs");
    if (promptLogprobs != null) b.promptLogprobs(promptLogprobs);
    String maxField = f.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    Integer requested = f.integer(maxField);
    b.maxTokens(ContextLimit.maxTokens(ids.size(), requested, ctx.backend().maxModelLen(),
        maxField));
    Integer priority = f.integer("priority");
    SamplingParams params = b.build();
    StreamOptions stream = StreamOptions.read(f);
    return new Job(ServingContext.newId("chatcmpl"), System.currentTimeMillis() / 1000, model,
        ids, params, topLogprobs, parser, stream, priority == null ? 0 : priority,
        CompletionsEndpoint.beamSearch(f, List.of(params), stream));
  }

  /** logprobs (boolean) and top_logprobs: the number of top entries, or null for none. */
  private static Integer logprobs(RequestFields f) {
    boolean logprobs = f.bool("logprobs", false);
    Integer top = f.integer("top_logprobs");
    if (top != null && (top < 0 || top > CompletionsEndpoint.MAX_LOGPROBS)) {
      throw ApiException.invalid("top_logprobs", "top_logprobs must be in [0, "
          + CompletionsEndpoint.MAX_LOGPROBS + "], got " + top);
    }
    if (top != null && top > 0 && !logprobs) {
      throw ApiException.invalid("top_logprobs", "top_logprobs requires logprobs to be true");
    }
    return logprobs ? (top == null ? 0 : top) : null;
  }

  /** The parser to apply, following vLLM: auto needs --enable-auto-tool-choice and a parser. */
  private ToolCallParser toolParser(RequestFields f, List<Map<String, Object>> tools) {
    JsonNode choice = f.raw("tool_choice");
    String mode = choice == null ? (tools == null || tools.isEmpty() ? "none" : "auto")
        : choice.isTextual() ? choice.asText() : "named";
    switch (mode) {
      case "none":
        return null;
      case "auto":
        if (!ctx.enableAutoToolChoice() || ctx.toolParser() == null) {
          throw ApiException.invalid("tool_choice", "\"auto\" tool choice requires "
              + "--enable-auto-tool-choice and --tool-call-parser to be set");
        }
        return tools == null || tools.isEmpty() ? null : ctx.toolParser();
      case "required":
      case "named":
        throw ApiException.invalid("tool_choice", "tool_choice '" + mode
            + "' needs structured outputs, which are not supported yet; use \"auto\"");
      default:
        throw ApiException.invalid("tool_choice", "tool_choice must be \"none\", \"auto\", "
            + "\"required\" or a named function, got \"" + mode + "\"");
    }
  }

  private ChatShapes.Response collect(Job job) throws InterruptedException {
    List<ChatShapes.Choice> choices = new ArrayList<>();
    OutputAccumulator acc;
    try (GenerationRun run = submit(job)) {
      acc = OutputAccumulator.drain(run);
    }
    for (OutputAccumulator.Completion c : acc.completions()) {
      choices.add(choice(job, c.index, c.text.toString(), c.logprobs, c.finishReason, c.stopReason));
    }
    return new ChatShapes.Response(job.id, "chat.completion", job.created, job.model, choices,
        Usage.of(job.promptIds.size(), acc.generatedTokens()));
  }

  /** vLLM's use_beam_search: the n best beams as choices, best first. */
  private ChatShapes.Response collectBeams(Job job) throws InterruptedException {
    ModelBackend b = ctx.backend();
    ctx.log("request " + job.id + ": beam search, prompt_tokens=" + job.promptIds.size() + ", " + job.beam);
    List<BeamSearchSequence> beams = new BeamSearch(b.engine(), b.eosTokenIds(), t -> b.decode(t, true), job.beam)
        .run(List.of(job.promptIds)).getFirst().sequences();
    List<ChatShapes.Choice> choices = new ArrayList<>();
    int generated = 0;
    for (int i = 0; i < beams.size(); i++) {
      BeamSearchSequence beam = beams.get(i);
      generated += beam.logprobs().size();
      choices.add(choice(job, i, beam.text(), beam.logprobs(), beam.finishReason(), null));
    }
    return new ChatShapes.Response(job.id, "chat.completion", job.created, job.model, choices,
        Usage.of(job.promptIds.size(), generated));
  }

  /** One choice: the text as an assistant message (tool calls parsed out where asked). */
  private ChatShapes.Choice choice(Job job, int index, String text, List<TokenLogprobs> logprobs, String finishReason,
      Object stopReason) {
    ToolParseResult parsed = job.toolParser == null ? ToolParseResult.textOnly(text) : job.toolParser.parse(text);
    String finish = parsed.calledTools() && "stop".equals(finishReason) ? "tool_calls" : finishReason;
    ChatShapes.Message message = new ChatShapes.Message("assistant", parsed.content(), null,
        toolCallsOut(parsed.calls()));
    ChatShapes.Logprobs lp = job.topLogprobs == null ? null
        : format.chat(logprobs == null ? List.of() : logprobs, job.topLogprobs);
    return new ChatShapes.Choice(index, message, lp, finish, stopReason);
  }

  private GenerationRun submit(Job job) {
    GenerationRun run = new GenerationRun(ctx, job.id, job.promptIds, job.params, job.priority);
    ctx.log("request " + job.id + ": prompt_tokens=" + job.promptIds.size() + ", " + job.params);
    return run;
  }

  private static List<ChatShapes.ToolCallOut> toolCallsOut(List<ToolCall> calls) {
    List<ChatShapes.ToolCallOut> out = new ArrayList<>();
    for (ToolCall c : calls) {
      out.add(new ChatShapes.ToolCallOut(toolCallId(), "function",
          new ChatShapes.FunctionOut(c.name(), c.arguments())));
    }
    return out;
  }

  private static String toolCallId() {
    return "chatcmpl-tool-" + UUID.randomUUID().toString().replace("-", "");
  }

  private void stream(Exchange ex, Job job) throws Exception {
    try (GenerationRun run = submit(job)) {
      ex.onFailure(run::abort);
      SseStream sse = ex.startEventStream();
      int generated = 0;
      try {
        generated = streamChoices(sse, job, run);
      } catch (IOException e) {
        throw e;
      } catch (ApiException e) {
        sse.send(ErrorBody.of(e));
      } catch (RuntimeException e) {
        sse.send(ErrorBody.of(new ApiException(500, "InternalServerError",
            String.valueOf(e.getMessage()), null)));
      }
      if (job.stream.includeUsage()) {
        sse.send(new ChatShapes.Chunk(job.id, "chat.completion.chunk", job.created, job.model,
            List.of(), Usage.of(job.promptIds.size(), generated)));
      }
      sse.done();
    }
  }

  private int streamChoices(SseStream sse, Job job, GenerationRun run)
      throws IOException, InterruptedException {
    Map<Integer, ToolStreamFilter> filters = new HashMap<>();
    Set<Integer> started = new HashSet<>();
    int generated = 0;
    for (RequestOutput out; (out = run.next()) != null; ) {
      for (CompletionOutput o : out.outputs()) {
        generated += o.tokenIds().size();
        ToolStreamFilter filter = job.toolParser == null ? null
            : filters.computeIfAbsent(o.index(), i -> new ToolStreamFilter(job.toolParser));
        if (started.add(o.index())) send(sse, job, o.index(), new ChatShapes.Delta("assistant", "", null), null,
            null, null);
        String content = filter == null ? o.text() : filter.add(o.text());
        ChatShapes.Logprobs lp = job.topLogprobs == null || o.logprobs() == null ? null
            : format.chat(o.logprobs(), job.topLogprobs);
        if (o.finishReason() == null) {
          if (!content.isEmpty() || lp != null) {
            send(sse, job, o.index(), new ChatShapes.Delta(null, content, null), lp, null, null);
          }
          continue;
        }
        String finish = o.finishReason();
        List<ChatShapes.ToolCallDelta> calls = null;
        if (filter != null) {
          ToolParseResult rest = filter.finish();
          content += rest.content();
          if (rest.calledTools()) {
            calls = toolCallDeltas(rest.calls());
            if (finish.equals("stop")) finish = "tool_calls";
          }
        }
        send(sse, job, o.index(), new ChatShapes.Delta(null, content, calls), lp, finish,
            o.stopReason());
      }
    }
    return generated;
  }

  private static List<ChatShapes.ToolCallDelta> toolCallDeltas(List<ToolCall> calls) {
    List<ChatShapes.ToolCallDelta> out = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      out.add(new ChatShapes.ToolCallDelta(i, toolCallId(), "function",
          new ChatShapes.FunctionOut(calls.get(i).name(), calls.get(i).arguments())));
    }
    return out;
  }

  private static void send(SseStream sse, Job job, int index, ChatShapes.Delta delta,
      ChatShapes.Logprobs lp, String finish, Object stopReason) throws IOException {
    sse.send(new ChatShapes.Chunk(job.id, "chat.completion.chunk", job.created, job.model,
        List.of(new ChatShapes.ChunkChoice(index, delta, lp, finish, stopReason)), null));
  }
}

package dev.barista.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The JSON shapes of /v1/chat/completions, whole and streamed. */
public final class ChatShapes {
  private ChatShapes() {}

  public record Response(String id, String object, long created, String model,
      List<Choice> choices, Usage usage) {}

  public record Choice(int index, Message message, Logprobs logprobs, String finishReason,
      Object stopReason) {}

  public record Message(String role, String content, String refusal, List<ToolCallOut> toolCalls) {}

  public record ToolCallOut(String id, String type, FunctionOut function) {}

  public record FunctionOut(String name, String arguments) {}

  public record Logprobs(List<TokenLogprob> content, String refusal) {}

  public record TokenLogprob(String token, float logprob, List<Integer> bytes,
      List<TopLogprob> topLogprobs) {}

  public record TopLogprob(String token, float logprob, List<Integer> bytes) {}

  /** One streamed chunk (object "chat.completion.chunk"). */
  public record Chunk(String id, String object, long created, String model,
      List<ChunkChoice> choices, Usage usage) {}

  public record ChunkChoice(int index, Delta delta, Logprobs logprobs, String finishReason,
      Object stopReason) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Delta(String role, String content, List<ToolCallDelta> toolCalls) {}

  public record ToolCallDelta(int index, String id, String type, FunctionOut function) {}
}

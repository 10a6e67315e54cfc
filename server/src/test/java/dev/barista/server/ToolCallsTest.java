package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tool calls end to end with --tool-call-parser hermes: the model's output is forced (scripted
 * device) to a Qwen-style call, and the SDK must see it as tool_calls, whole and streamed.
 */
class ToolCallsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OUTPUT = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", "
      + "\"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>";
  private static TestServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyQwen3(), "dummy", "auto",
        o -> o.withToolCallParser("hermes", true));
    client = server.client("unused");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void unscript() {
    ScriptedRunnerProvider.script = null;
  }

  private static void force(String text) {
    ScriptedRunnerProvider.script = server.backend.encode(text, false).stream()
        .mapToInt(Integer::intValue).toArray();
  }

  private static ChatCompletionCreateParams.Builder request() {
    return ChatCompletionCreateParams.builder().model("tiny")
        .addUserMessage("What is the weather in Paris?")
        .maxCompletionTokens(80)
        .addFunctionTool(FunctionDefinition.builder().name("get_weather")
            .description("Weather forecast for a city")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                    "city", Map.of("type", "string"), "days", Map.of("type", "integer"))))
                .build())
            .build());
  }

  @Test
  void wholeResponseCarriesTheParsedCall() throws Exception {
    force(OUTPUT);
    ChatCompletion c = client.chat().completions().create(request().build());
    ChatCompletion.Choice choice = c.choices().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.TOOL_CALLS, choice.finishReason());
    assertEquals("Let me check.\n", choice.message().content().orElseThrow());
    List<ChatCompletionMessageFunctionToolCall> calls = choice.message().toolCalls().orElseThrow()
        .stream().map(t -> t.asFunction()).toList();
    assertEquals(1, calls.size());
    assertEquals("get_weather", calls.get(0).function().name());
    assertEquals(JSON.readTree("{\"city\": \"Paris\", \"days\": 2}"),
        JSON.readTree(calls.get(0).function().arguments()));
    assertTrue(calls.get(0).id().startsWith("chatcmpl-tool-"));
  }

  @Test
  void streamedResponseKeepsTheCallOutOfTheContent() throws Exception {
    force(OUTPUT);
    StringBuilder content = new StringBuilder();
    List<ChatCompletionChunk.Choice.Delta.ToolCall> calls = new ArrayList<>();
    List<String> finishes = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
        .createStreaming(request().build())) {
      s.stream().forEach(chunk -> chunk.choices().forEach(ch -> {
        ch.delta().content().ifPresent(content::append);
        ch.delta().toolCalls().ifPresent(calls::addAll);
        ch._finishReason().asKnown().ifPresent(f -> finishes.add(f.toString()));
      }));
    }
    assertEquals("Let me check.\n", content.toString());
    assertEquals(1, calls.size());
    assertEquals("get_weather", calls.get(0).function().orElseThrow().name().orElseThrow());
    assertEquals(JSON.readTree("{\"city\": \"Paris\", \"days\": 2}"),
        JSON.readTree(calls.get(0).function().orElseThrow().arguments().orElseThrow()));
    assertEquals(List.of("tool_calls"), finishes);
  }

  @Test
  void plainAnswerStaysContentAndToolResultsRender() {
    force("It is sunny.");
    ChatCompletion c = client.chat().completions().create(request()
        .addMessage(com.openai.models.chat.completions.ChatCompletionAssistantMessageParam.builder()
            .addToolCall(com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall
                .builder().id("call_1").function(ChatCompletionMessageFunctionToolCall.Function
                    .builder().name("get_weather").arguments("{\"city\": \"Paris\"}").build())
                .build())
            .build())
        .addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
            .toolCallId("call_1").content("sunny, 24C").build())
        .build());
    ChatCompletion.Choice choice = c.choices().get(0);
    assertEquals(ChatCompletion.Choice.FinishReason.STOP, choice.finishReason());
    assertEquals("It is sunny.", choice.message().content().orElseThrow());
    assertTrue(choice.message().toolCalls().map(List::isEmpty).orElse(true));
  }
}

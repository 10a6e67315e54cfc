package dev.barista.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Text and chat on models/tiny-qwen3 (real Qwen3 tokenizer and template, dummy weights). */
class ChatSdkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static OpenAIClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(TestServer.tinyQwen3(), "dummy", o -> o);
    client = server.client("unused");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static ChatCompletionCreateParams.Builder chat(long maxTokens) {
    return ChatCompletionCreateParams.builder().model("tiny")
        .addSystemMessage("You are a helpful assistant.")
        .addUserMessage("What is 2+2?")
        .maxCompletionTokens(maxTokens)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true));
  }

  private static JsonNode post(String path, String body) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  @Test
  void beamSearchOfOneIsTheGreedyReplyAndOfTwoGivesTwo() {
    String greedy = client.chat().completions().create(chat(8).temperature(0.0).build())
        .choices().get(0).message().content().orElseThrow();
    var one = client.chat().completions().create(chat(8)
        .putAdditionalBodyProperty("use_beam_search", JsonValue.from(true)).build());
    assertEquals(greedy, one.choices().get(0).message().content().orElseThrow());
    var two = client.chat().completions().create(chat(8).n(2)
        .putAdditionalBodyProperty("use_beam_search", JsonValue.from(true)).build());
    assertEquals(2, two.choices().size());
    assertEquals(16, two.usage().orElseThrow().completionTokens());
  }

  @Test
  void textPromptIsTokenizedAsHuggingFaceDoesAndEchoed() throws Exception {
    // Hugging Face tokenizers: "Hello world" -> [9707, 1879] for Qwen3 (shared/reference)
    Completion c = client.completions().create(CompletionCreateParams.builder().model("tiny")
        .prompt("Hello world").maxTokens(4).echo(true)
        .putAdditionalBodyProperty("ignore_eos", JsonValue.from(true)).build());
    assertEquals(2, c.usage().orElseThrow().promptTokens());
    assertEquals(4, c.usage().orElseThrow().completionTokens());
    assertTrue(c.choices().get(0).text().startsWith("Hello world"));
    assertTrue(c.choices().get(0).text().length() > "Hello world".length(),
        "generated text follows the echo");
    JsonNode tok = post("/tokenize", "{\"prompt\": \"Hello world\"}");
    assertEquals("[9707,1879]", tok.get("tokens").toString());
    JsonNode detok = post("/detokenize", "{\"tokens\": [9707, 1879]}");
    assertEquals("Hello world", detok.get("prompt").asText());
  }

  @Test
  void chatRendersTheTemplateAsTransformersDoes() throws Exception {
    // transformers' rendering of this conversation (shared/reference/chat_templates/qwen3.jsonl)
    String rendered = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
        + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n";
    JsonNode fromMessages = post("/tokenize", "{\"messages\": [{\"role\": \"system\", \"content\": "
        + "\"You are a helpful assistant.\"}, {\"role\": \"user\", \"content\": [{\"type\": "
        + "\"text\", \"text\": \"What is 2+2?\"}]}]}");
    JsonNode fromText = post("/tokenize", JSON.writeValueAsString(java.util.Map.of(
        "prompt", rendered, "add_special_tokens", false)));
    assertEquals(fromText.get("tokens"), fromMessages.get("tokens"));
    ChatCompletion c = client.chat().completions().create(chat(5).build());
    assertEquals(fromText.get("count").asInt(), c.usage().orElseThrow().promptTokens());
    assertEquals(5, c.usage().orElseThrow().completionTokens());
    assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, c.choices().get(0).finishReason());
    assertFalse(c.choices().get(0).message().content().orElseThrow().isEmpty());
  }

  @Test
  void requestChatTemplateAndKwargsAreUsed() throws Exception {
    JsonNode custom = post("/tokenize", "{\"messages\": [{\"role\": \"user\", \"content\": "
        + "\"Hello\"}], \"chat_template\": \"{% for m in messages %}{{ m.content }} {{ who }}"
        + "{% endfor %}\", \"chat_template_kwargs\": {\"who\": \"world\"}}");
    // "Hello world" -> [9707, 1879] (Hugging Face reference)
    assertEquals("[9707,1879]", custom.get("tokens").toString());
    JsonNode broken = JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(server.baseUrl() + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", "
            + "\"content\": \"Hi\"}], \"chat_template\": \"{% for %}\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    assertEquals("chat_template", broken.at("/error/param").asText());
  }

  @Test
  void streamedChatEqualsTheWholeOneUnderGreedy() {
    ChatCompletion whole = client.chat().completions().create(chat(12).temperature(0.0).build());
    StringBuilder streamed = new StringBuilder();
    List<String> roles = new ArrayList<>();
    List<Long> usage = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
        chat(12).temperature(0.0).streamOptions(ChatCompletionStreamOptions.builder()
            .includeUsage(true).build()).build())) {
      s.stream().forEach(chunk -> {
        chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
        for (ChatCompletionChunk.Choice ch : chunk.choices()) {
          ch.delta().role().ifPresent(r -> roles.add(r.toString()));
          ch.delta().content().ifPresent(streamed::append);
        }
      });
    }
    assertEquals(List.of("assistant"), roles);
    assertEquals(whole.choices().get(0).message().content().orElseThrow(), streamed.toString());
    assertEquals(List.of(12L), usage);
  }

  @Test
  void chatLogprobsAndN() {
    ChatCompletion c = client.chat().completions().create(chat(4).n(2).logprobs(true)
        .topLogprobs(3).temperature(0.8).build());
    assertEquals(2, c.choices().size());
    for (ChatCompletion.Choice ch : c.choices()) {
      List<ChatCompletionTokenLogprob> content = ch.logprobs().orElseThrow().content()
          .orElseThrow();
      assertEquals(4, content.size());
      StringBuilder joined = new StringBuilder();
      for (ChatCompletionTokenLogprob lp : content) {
        assertEquals(3, lp.topLogprobs().size());
        assertTrue(lp.logprob() <= lp.topLogprobs().get(0).logprob() + 1e-6);
        joined.append(lp.token());
      }
      assertEquals(ch.message().content().orElseThrow(), joined.toString());
    }
    assertEquals(8, c.usage().orElseThrow().completionTokens());
  }

  @Test
  void toolsWithoutAutoToolChoiceEnabledAre400AndUnsupportedPartsToo() {
    BadRequestException e = assertThrows(BadRequestException.class, () -> client.chat()
        .completions().create(chat(2).addFunctionTool(com.openai.models.FunctionDefinition
            .builder().name("get_weather").build()).build()));
    assertEquals("tool_choice", e.param().orElseThrow());
    e = assertThrows(BadRequestException.class, () -> client.chat().completions().create(
        chat(2).putAdditionalBodyProperty("continue_final_message", JsonValue.from(true))
            .putAdditionalBodyProperty("add_generation_prompt", JsonValue.from(true)).build()));
    assertEquals("continue_final_message", e.param().orElseThrow());
    assertEquals(2, client.chat().completions().create(chat(2).build()).usage().orElseThrow()
        .completionTokens());
  }
}

package dev.barista.engine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.EngineArgs;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.RequestOutputKind;
import dev.barista.engine.api.RequestOutputStream;
import dev.barista.engine.api.SamplingParams;
import dev.barista.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text in and out with a real tokenizer (the repo's tiny Qwen3 folder: Qwen3's tokenizer and chat
 * template, dummy weights): detokenization, stop strings, streaming hold-back, chat.
 */
class TextGenerationTest {
  static final Path MODEL = Path.of("../models/tiny-qwen3");
  static LLM llm;
  static Tokenizer tokenizer;

  @BeforeAll
  static void start() {
    llm = new LLM(EngineArgs.builder(MODEL).loadFormat("dummy").device("cpu").maxModelLen(256)
        .kvCacheMemory(16L << 20).build());
    tokenizer = Tokenizer.fromDirectory(MODEL);
  }

  @AfterAll
  static void stop() {
    llm.close();
  }

  private static SamplingParams.Builder sampled(int maxTokens) {
    // seeded sampling gives varied text from random weights, the same on every run
    return SamplingParams.builder().temperature(1.0).seed(11L).maxTokens(maxTokens).ignoreEos(true);
  }

  @Test
  void textIsTheDecodedTokens() {
    CompletionOutput c = llm.generate("The capital of France is", sampled(24).build()).outputs().getFirst();
    assertEquals(24, c.tokenIds().size());
    int[] ids = c.tokenIds().stream().mapToInt(Integer::intValue).toArray();
    assertEquals(tokenizer.decode(ids, true), c.text());
  }

  @Test
  void stopStringsCutTheTextWithOrWithoutTheStop() {
    String full = llm.generate("Once upon a time", sampled(40).build()).outputs().getFirst().text();
    assertTrue(full.length() > 30, full);
    String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
    int cut = full.indexOf(stop);
    CompletionOutput without = llm.generate("Once upon a time", sampled(40).stop(List.of(stop)).build())
        .outputs().getFirst();
    assertEquals(full.substring(0, cut), without.text());
    assertEquals("stop", without.finishReason());
    assertEquals(stop, without.stopReason());
    CompletionOutput with = llm.generate("Once upon a time", sampled(40).stop(List.of(stop))
        .includeStopStrInOutput(true).build()).outputs().getFirst();
    assertEquals(full.substring(0, cut + stop.length()), with.text());
  }

  @Test
  void streamingNeverShowsTextPastAStop() throws Exception {
    String full = llm.generate("Hello", sampled(40).build()).outputs().getFirst().text();
    String stop = full.substring(full.length() - 6, full.length() - 3);
    int cut = full.indexOf(stop);
    try (RequestOutputStream s = llm.engine().generate("stream", PromptInput.text("Hello"),
        sampled(40).stop(List.of(stop)).outputKind(RequestOutputKind.DELTA).build(), 0)) {
      StringBuilder streamed = new StringBuilder();
      for (RequestOutput o = s.next(); o != null; o = s.next()) {
        streamed.append(o.outputs().getFirst().text());
        assertTrue(full.substring(0, cut).startsWith(streamed.toString()),
            "streamed past the stop: " + streamed);
      }
      assertEquals(full.substring(0, cut), streamed.toString());
    }
  }

  @Test
  void chatRendersTheTemplateAndTokenizesWithoutExtraSpecials() {
    List<Map<String, Object>> messages = List.of(Map.of("role", "user", "content", "Hi there"));
    RequestOutput o = llm.chat(messages, sampled(5).build());
    String rendered = tokenizer.applyChatTemplate(messages, null, true, null);
    assertEquals(rendered, o.prompt());
    assertTrue(o.prompt().contains("<|im_start|>user\nHi there<|im_end|>"), o.prompt());
    int[] expected = tokenizer.encode(rendered, false);
    assertEquals(expected.length, o.promptTokenIds().size());
    for (int i = 0; i < expected.length; i++) assertEquals(expected[i], o.promptTokenIds().get(i));
    assertEquals(5, o.outputs().getFirst().tokenIds().size());
  }

  @Test
  void stopTokenIdsEndWithTheTokenButNotItsText() {
    List<Integer> free = llm.generate("Tell me", sampled(30).build()).outputs().getFirst().tokenIds();
    int at = 3;
    while (free.indexOf(free.get(at)) != at) at++; // a token not seen before position `at`
    int stopId = free.get(at);
    CompletionOutput c = llm.generate("Tell me", sampled(30).stopTokenIds(List.of(stopId)).build())
        .outputs().getFirst();
    assertEquals(free.subList(0, at + 1), c.tokenIds());
    assertEquals("stop", c.finishReason());
    assertEquals(stopId, c.stopReason());
    int[] kept = free.subList(0, at).stream().mapToInt(Integer::intValue).toArray();
    assertEquals(tokenizer.decode(kept, true), c.text());
    CompletionOutput with = llm.generate("Tell me", sampled(30).stopTokenIds(List.of(stopId))
        .includeStopStrInOutput(true).build()).outputs().getFirst();
    int[] all = free.subList(0, at + 1).stream().mapToInt(Integer::intValue).toArray();
    assertEquals(tokenizer.decode(all, true), with.text());
    // min_tokens: the stop token can neither be sampled nor end the completion before it
    CompletionOutput min = llm.generate("Tell me", sampled(30).stopTokenIds(List.of(stopId))
        .minTokens(at + 4).build()).outputs().getFirst();
    assertTrue(min.tokenIds().size() >= at + 4, "min_tokens " + min.tokenIds());
    assertTrue(!min.tokenIds().subList(0, at + 3).contains(stopId));
  }

  @Test
  void generationConfigSuppliesDefaults() {
    SamplingParams d = llm.getDefaultSamplingParams();
    // models/tiny-qwen3/generation_config.json: temperature 0.6, top_k 20, top_p 0.95
    assertEquals(0.6, d.temperature());
    assertEquals(20, d.topK());
    assertEquals(0.95, d.topP());
  }
}

package dev.barista.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.sampling.TokenLogprobs;
import dev.barista.engine.testing.ReferenceModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LLM.beamSearch on tiny-llama (CPU): checked against the engine's other paths, greedy generation
 * and teacher-forced prompt logprobs, not against its own numbers.
 */
class BeamSearchTest {
  static LLM llm;
  static List<Integer> prompt;

  @BeforeAll
  static void start() throws Exception {
    ReferenceModel ref = ReferenceModel.load("tiny-llama");
    llm = new LLM(EngineArgs.builder(ref.dir()).device("cpu").maxModelLen(128).kvCacheMemory(16L << 20).build());
    prompt = java.util.Arrays.stream(ref.cases().get(0).promptIds()).boxed().toList();
  }

  @AfterAll
  static void stop() {
    llm.close();
  }

  private static BeamSearchOutput search(int width, int maxTokens) {
    return llm.beamSearch(List.of(PromptInput.tokens(prompt)), new BeamSearchParams(width, maxTokens, true, 0, 1.0))
        .getFirst();
  }

  @Test
  void oneBeamIsGreedyDecoding() {
    List<Integer> greedy = llm.generate(List.of(PromptInput.tokens(prompt)),
        SamplingParams.builder().temperature(0).maxTokens(12).ignoreEos(true).build()).getFirst().outputs().getFirst().tokenIds();
    BeamSearchSequence beam = search(1, 12).sequences().getFirst();
    assertEquals(greedy, beam.tokens().subList(prompt.size(), beam.tokens().size()));
  }

  @Test
  void aSingleStepKeepsTheMostLikelyTokens() {
    TokenLogprobs first = llm.generate(List.of(PromptInput.tokens(prompt)),
        SamplingParams.builder().temperature(0).maxTokens(1).logprobs(4).build()).getFirst().outputs().getFirst()
        .logprobs().getFirst();
    List<BeamSearchSequence> beams = search(4, 1).sequences();
    assertEquals(4, beams.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(first.topTokenIds()[i], beams.get(i).tokens().getLast());
      assertEquals(first.topLogprobs()[i], beams.get(i).cumLogprob(), 1e-6);
    }
  }

  @Test
  void eachBeamsLogprobIsWhatTheModelGivesItsTokens() {
    List<BeamSearchSequence> beams = search(3, 6).sequences();
    assertEquals(3, beams.size());
    Set<List<Integer>> distinct = new HashSet<>();
    double previousScore = Double.POSITIVE_INFINITY;
    for (BeamSearchSequence b : beams) {
      assertTrue(distinct.add(b.tokens()), "a beam came back twice");
      assertEquals(prompt.size() + 6, b.tokens().size());
      double score = b.cumLogprob() / b.tokens().size();
      assertTrue(score <= previousScore + 1e-12, "beams out of order");
      previousScore = score;
      // the whole beam as a prompt: its prompt logprobs at the generated positions must add up
      RequestOutput scored = llm.generate(List.of(PromptInput.tokens(b.tokens())),
          SamplingParams.builder().temperature(0).maxTokens(1).promptLogprobs(0).build()).getFirst();
      double sum = 0;
      for (int i = prompt.size(); i < b.tokens().size(); i++) sum += scored.promptLogprobs().get(i).logprob();
      assertEquals(sum, b.cumLogprob(), 1e-4);
    }
  }

  @Test
  void badParametersNameTheField() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> BeamSearchParams.of(0, 4));
    assertTrue(e.getMessage().contains("beam_width"), e.getMessage());
  }
}

package dev.barista.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole sampler on hand-made logits: order of steps, seeds, min_tokens, distributions. */
class SamplerTest {
  private static final int[] PROMPT = {0, 1};

  private static SequenceSamplingState state(SamplingParams p) {
    return SequenceSamplingState.create(p, PROMPT, 0, List.of(9), List.of(), 10);
  }

  private static List<Integer> run(SequenceSamplingState s, float[] logits, int steps) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < steps; i++) {
      int t = Sampler.sample(logits, s).tokenId();
      s.appendOutput(t);
      out.add(t);
    }
    return out;
  }

  private static final float[] FLAT = new float[10];

  /** The vectorized argmax against a plain scan: ties go to the lowest index, anywhere in the array. */
  @Test
  void argmaxIsTheFirstLargestOnLongArrays() {
    java.util.Random rnd = new java.util.Random(4);
    for (int round = 0; round < 500; round++) {
      float[] l = new float[1 + rnd.nextInt(300)];
      for (int i = 0; i < l.length; i++) l[i] = rnd.nextInt(5) == 0 ? Float.NEGATIVE_INFINITY : rnd.nextInt(7);
      int expected = 0;
      for (int i = 1; i < l.length; i++) if (l[i] > l[expected]) expected = i;
      assertEquals(expected, Sampler.argmax(l), java.util.Arrays.toString(l));
    }
    assertEquals(0, Sampler.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    float[] last = new float[37];
    last[36] = 1;
    assertEquals(36, Sampler.argmax(last));
  }

  @Test
  void greedyTakesTheArgmaxAfterPenaltiesAndBias() {
    float[] l = {0, 3, 0, 2.9f, 0, 0, 0, 0, 0, 0};
    assertEquals(1, Sampler.sample(l, state(SamplingParams.builder().temperature(0).build())).tokenId());
    // token 1 is in the prompt: repetition penalty 2 halves it below token 3
    assertEquals(3, Sampler.sample(l, state(SamplingParams.builder().temperature(0)
        .repetitionPenalty(2).build())).tokenId());
    assertEquals(5, Sampler.sample(l, state(SamplingParams.builder().temperature(0)
        .logitBias(Map.of(5, 10.0)).build())).tokenId());
    assertEquals(4, Sampler.sample(l, state(SamplingParams.builder().temperature(0)
        .allowedTokenIds(List.of(4, 6)).build())).tokenId());
  }

  @Test
  void sameSeedSameTokensDifferentSeedDifferentTokens() {
    SamplingParams a = SamplingParams.builder().seed(42L).build();
    List<Integer> first = run(state(a), FLAT, 40);
    assertEquals(first, run(state(a), FLAT, 40));
    assertNotEquals(first, run(state(SamplingParams.builder().seed(43L).build()), FLAT, 40));
    // Interleaving with another sequence does not disturb a seeded one.
    SequenceSamplingState s = state(a);
    SequenceSamplingState other = state(SamplingParams.builder().build());
    List<Integer> interleaved = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      run(other, FLAT, 3);
      interleaved.addAll(run(s, FLAT, 1));
    }
    assertEquals(first, interleaved);
    // Completions of one seeded request differ from each other.
    assertNotEquals(first, run(state(a).forCompletion(1), FLAT, 40));
  }

  @Test
  void unseededRequestsDiffer() {
    SamplingParams p = SamplingParams.builder().build();
    assertNotEquals(run(state(p), FLAT, 40), run(state(p), FLAT, 40));
  }

  @Test
  void minTokensBansEosAndStopTokensUntilReached() {
    float[] l = new float[10];
    l[9] = 50; // eos
    l[8] = 40; // a stop token id
    SamplingParams p = SamplingParams.builder().temperature(0).minTokens(2).stopTokenIds(List.of(8)).build();
    SequenceSamplingState s = state(p);
    List<Integer> out = run(s, l, 3);
    assertNotEquals(9, out.get(0));
    assertNotEquals(8, out.get(0));
    assertNotEquals(9, out.get(1));
    assertEquals(9, out.get(2));
  }

  @Test
  void samplesFollowTheFilteredDistribution() {
    // probabilities 0.4, 0.3, 0.2, 0.1 (rest ~0); top_k 3 renormalizes to 4/9, 3/9, 2/9
    float[] l = new float[10];
    java.util.Arrays.fill(l, -1000);
    double[] p = {0.4, 0.3, 0.2, 0.1};
    for (int i = 0; i < 4; i++) l[i] = (float) Math.log(p[i]);
    int n = 20_000;
    int[] counts = new int[10];
    for (int i = 0; i < n; i++) {
      SequenceSamplingState s = SequenceSamplingState.create(
          SamplingParams.builder().seed((long) i).topK(3).build(), PROMPT, 0, List.of(), List.of(), 10);
      counts[Sampler.sample(l, s).tokenId()]++;
    }
    assertEquals(4.0 / 9, counts[0] / (double) n, 0.015);
    assertEquals(3.0 / 9, counts[1] / (double) n, 0.015);
    assertEquals(2.0 / 9, counts[2] / (double) n, 0.015);
    assertEquals(0, counts[3]);
  }

  @Test
  void temperatureSharpensTheDistribution() {
    float[] l = {(float) Math.log(0.6), (float) Math.log(0.4), -1000, -1000, -1000, -1000, -1000, -1000, -1000, -1000};
    int n = 20_000;
    int zeros = 0;
    for (int i = 0; i < n; i++) {
      SequenceSamplingState s = SequenceSamplingState.create(
          SamplingParams.builder().seed((long) i).temperature(0.5).build(), PROMPT, 0, List.of(), List.of(), 10);
      if (Sampler.sample(l, s).tokenId() == 0) zeros++;
    }
    // p^(1/T) renormalized: 0.36 / (0.36 + 0.16)
    assertEquals(0.36 / 0.52, zeros / (double) n, 0.015);
  }

  @Test
  void logprobsComeFromTheRawLogits() {
    float[] l = LogitsProcessorsTest.fromProbs(0.5, 0.25, 0.25, 1e-9, 1e-9, 1e-9, 1e-9, 1e-9, 1e-9, 1e-9);
    SamplingParams p = SamplingParams.builder().temperature(0).logprobs(2).logitBias(Map.of(2, 100.0)).build();
    Sampler.Sample s = Sampler.sample(l, state(p));
    assertEquals(2, s.tokenId());
    assertEquals(Math.log(0.25), s.logprobs().logprob(), 1e-5);
    assertEquals(0, s.logprobs().topTokenIds()[0]);
    assertNull(Sampler.sample(l, state(SamplingParams.builder().build())).logprobs());
  }

  @Test
  void badWordsAreNeverSampled() {
    float[] l = new float[10];
    l[5] = 10;
    SequenceSamplingState s = SequenceSamplingState.create(SamplingParams.builder().temperature(0).build(),
        PROMPT, 0, List.of(), List.of(new int[] {5}), 10);
    assertNotEquals(5, Sampler.sample(l, s).tokenId());
  }

  @Test
  void tokenIdsOutsideTheVocabularyAreRejectedNamingTheField() {
    InvalidParameterException e = assertThrows(InvalidParameterException.class, () -> state(
        SamplingParams.builder().logitBias(Map.of(10, 1.0)).build()));
    assertEquals("logit_bias", e.field());
    e = assertThrows(InvalidParameterException.class, () -> state(
        SamplingParams.builder().allowedTokenIds(List.of(-1)).build()));
    assertEquals("allowed_token_ids", e.field());
    e = assertThrows(InvalidParameterException.class, () -> SequenceSamplingState.create(
        SamplingParams.builder().build(), new int[] {0, 99}, 0, List.of(), List.of(), 10));
    assertEquals("prompt", e.field());
    assertTrue(e.getMessage().contains("99"));
  }
}

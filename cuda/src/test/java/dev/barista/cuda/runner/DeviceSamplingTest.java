package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSamplingTest {
  static boolean supports(SamplingParams p) {
    return DeviceSampling.supports(SequenceSamplingState.create(p, new int[] {1}, List.of(2), 50));
  }

  @Test
  void greedyTemperatureAndMinPStayOnTheDevice() {
    assertTrue(supports(SamplingParams.builder().temperature(0.0).build()));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).build()));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).minP(0.05).build()));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).topK(50).build()), "top_k >= vocab is no filter");
    assertTrue(supports(SamplingParams.builder().temperature(0.0).topK(5).topP(0.5).build()), "greedy ignores them");
  }

  @Test
  void everythingElseGoesToTheCpuSampler() {
    assertFalse(supports(SamplingParams.builder().temperature(0.7).topK(5).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.7).topP(0.9).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).repetitionPenalty(1.1).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).presencePenalty(0.5).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).frequencyPenalty(0.5).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).logprobs(1).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).logitBias(Map.of(3, 1.0)).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).allowedTokenIds(List.of(1, 2)).build()));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).minTokens(3).build()), "EOS still banned");
  }
}

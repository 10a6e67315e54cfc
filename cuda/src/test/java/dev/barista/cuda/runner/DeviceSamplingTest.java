package dev.barista.cuda.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.barista.cuda.runner.DeviceSampling.Mode;
import dev.barista.engine.api.SamplingParams;
import dev.barista.engine.sampling.SequenceSamplingState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSamplingTest {
  static boolean supports(SamplingParams p, Mode mode) {
    return DeviceSampling.supports(SequenceSamplingState.create(p, new int[] {1}, List.of(2), 50), mode);
  }

  @Test
  void basicModeKeepsGreedyTemperatureAndMinPOnTheDevice() {
    assertTrue(supports(SamplingParams.builder().temperature(0.0).build(), Mode.BASIC));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).build(), Mode.BASIC));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).minP(0.05).build(), Mode.BASIC));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).topK(50).build(), Mode.BASIC), "top_k >= vocab is no filter");
    assertTrue(supports(SamplingParams.builder().temperature(0.0).topK(5).topP(0.5).build(), Mode.BASIC), "greedy ignores them");
    assertFalse(supports(SamplingParams.builder().temperature(0.7).topK(5).build(), Mode.BASIC));
    assertFalse(supports(SamplingParams.builder().temperature(0.7).topP(0.9).build(), Mode.BASIC));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).repetitionPenalty(1.1).build(), Mode.BASIC));
    assertFalse(supports(SamplingParams.builder().temperature(0.0).presencePenalty(0.5).build(), Mode.BASIC));
  }

  @Test
  void fullModeAddsTopKTopPAndPenalties() {
    assertTrue(supports(SamplingParams.builder().temperature(0.7).topK(5).build(), Mode.FULL));
    assertTrue(supports(SamplingParams.builder().temperature(0.7).topP(0.9).minP(0.1).topK(20).build(), Mode.FULL));
    assertTrue(supports(SamplingParams.builder().temperature(0.0).repetitionPenalty(1.1).build(), Mode.FULL));
    assertTrue(supports(SamplingParams.builder().temperature(0.8).presencePenalty(0.5).frequencyPenalty(0.3).build(), Mode.FULL));
  }

  @Test
  void manyLogprobsGoToTheCpuSamplerInBothModes() {
    for (Mode m : Mode.values()) {
      assertFalse(supports(SamplingParams.builder().temperature(0.0).logprobs(-1).build(), m), "the whole vocabulary's");
      assertFalse(supports(SamplingParams.builder().temperature(0.0).logprobs(21).build(), m), "over the 20 the kernel keeps");
    }
  }

  @Test
  void maskedOrBiasedTokensTakeABiasRowInFullModeAndTheCpuInBasic() {
    List<SamplingParams> ps = List.of(SamplingParams.builder().temperature(0.0).logitBias(Map.of(3, 1.0)).build(),
        SamplingParams.builder().temperature(0.0).allowedTokenIds(List.of(1, 2)).build(),
        SamplingParams.builder().temperature(0.0).badWords(List.of("x")).build(),
        SamplingParams.builder().temperature(0.0).minTokens(3).build());
    for (SamplingParams p : ps) {
      assertTrue(DeviceSampling.needsBiasRow(p), p.toString());
      assertTrue(supports(p, Mode.FULL), p.toString());
      assertFalse(supports(p, Mode.BASIC), p.toString());
    }
    assertFalse(DeviceSampling.needsBiasRow(SamplingParams.builder().temperature(0.7).topP(0.9).repetitionPenalty(1.2).build()));
    int[] b = new int[DeviceSampling.WORDS];
    DeviceSampling.write(SequenceSamplingState.create(ps.get(0), new int[] {1}, List.of(2), 50), 4, b, 0);
    assertEquals(1, b[18], "the slot's bias row applies");
    DeviceSampling.write(SequenceSamplingState.create(ps.get(0), new int[] {1}, List.of(2), 50), -1, b, 0);
    assertEquals(0, b[18], "no slot, no row");
  }

  @Test
  void logprobsUpTo20StayOnTheDevice() {
    for (Mode m : Mode.values()) {
      for (int k : new int[] {0, 1, 5, 20}) {
        assertTrue(supports(SamplingParams.builder().temperature(0.0).logprobs(k).build(), m), "logprobs " + k);
      }
    }
    SequenceSamplingState st = SequenceSamplingState.create(SamplingParams.builder().temperature(0.7).logprobs(5).build(),
        new int[] {1}, List.of(2), 50);
    int[] b = new int[DeviceSampling.WORDS];
    DeviceSampling.write(st, -1, b, 0);
    assertEquals(5, b[16]);
    assertEquals(-1, b[17], "the sampled token's");
    assertTrue(DeviceSampling.wantsLogprobs(b, 0));
    DeviceSampling.writePromptRow(3, 44, b, 0);
    assertEquals(3, b[16]);
    assertEquals(44, b[17]);
    assertEquals(-1, b[5], "inert for sampling");
    assertTrue(DeviceSampling.promptLogprobsOnDevice(SamplingParams.builder().promptLogprobs(20).build()));
    assertFalse(DeviceSampling.promptLogprobsOnDevice(SamplingParams.builder().promptLogprobs(21).build()));
    assertFalse(DeviceSampling.promptLogprobsOnDevice(SamplingParams.builder().promptLogprobs(-1).build()));
    assertFalse(DeviceSampling.promptLogprobsOnDevice(SamplingParams.builder().build()));
    DeviceSampling.write(SequenceSamplingState.create(SamplingParams.builder().build(), new int[] {1}, List.of(2), 50), -1, b, 0);
    assertEquals(-1, b[16], "no logprobs asked");
    assertFalse(DeviceSampling.wantsLogprobs(b, 0));
  }

  @Test
  void kernelsReadRowsOfTheSameWidth() throws java.io.IOException {
    String full = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/cuda/sampling_full.cu"));
    assertTrue(full.contains("#define ROW_WORDS " + DeviceSampling.WORDS), "sample_rows_full's row stride");
    String lp = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/cuda/logprobs.cu"));
    assertTrue(lp.contains("#define MAX_K " + DeviceSampling.MAX_LOGPROBS));
    assertTrue(lp.contains("#define OUT_WORDS (2 + 2 * MAX_K)"), "LOGPROB_WORDS = 2 + 2 MAX_LOGPROBS");
    assertEquals(2 + 2 * DeviceSampling.MAX_LOGPROBS, DeviceSampling.LOGPROB_WORDS);
    assertTrue(lp.contains("params[(size_t)stride * blockIdx.x + 16]"), "k is word 16");
    assertTrue(lp.contains("params[(size_t)stride * blockIdx.x + 17]"), "the chosen token word 17");
  }

  @Test
  void readsTheKernelsLogprobWords() {
    int w = DeviceSampling.LOGPROB_WORDS;
    int[] out = new int[3 + w];
    out[3] = Float.floatToRawIntBits(-1.25f);
    out[4] = 3;
    out[5] = 42;
    out[6] = 7;
    out[5 + DeviceSampling.MAX_LOGPROBS] = Float.floatToRawIntBits(-0.5f);
    out[6 + DeviceSampling.MAX_LOGPROBS] = Float.floatToRawIntBits(-0.75f);
    var lp = DeviceSampling.logprobs(out, 3, 9, 2);
    assertEquals(9, lp.tokenId());
    assertEquals(-1.25f, lp.logprob());
    assertEquals(3, lp.rank());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {42, 7}, lp.topTokenIds());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-0.5f, -0.75f}, lp.topLogprobs());
    assertEquals(0, DeviceSampling.logprobs(out, 3, 9, 0).topTokenIds().length);
  }

  @Test
  void writesTheWordsTheKernelsRead() {
    SamplingParams p = SamplingParams.builder().temperature(0.5).minP(0.1).topK(7).topP(0.9)
        .repetitionPenalty(1.3).frequencyPenalty(0.2).presencePenalty(-0.4).seed(11L).build();
    SequenceSamplingState st = SequenceSamplingState.create(p, new int[] {1}, List.of(2), 50);
    int[] b = new int[2 + DeviceSampling.WORDS];
    DeviceSampling.write(st, 5, b, 2);
    assertEquals(2.0f, Float.intBitsToFloat(b[2]));
    assertEquals((float) Math.log(0.1), Float.intBitsToFloat(b[3]));
    assertEquals((float) st.nextUniform(), Float.intBitsToFloat(b[4]));
    assertEquals(7, b[5]);
    assertEquals(1.3f, Float.intBitsToFloat(b[6]));
    assertEquals(5, b[7]);
    assertEquals(0.9, doubleAt(b, 8));
    assertEquals(0.2, doubleAt(b, 10));
    assertEquals(-0.4, doubleAt(b, 12));
    assertEquals(st.nextUniform(), doubleAt(b, 14), "the full kernel draws with the CPU's double");
    assertEquals(Math.log(0.1), doubleAt(b, 16), "and thresholds min_p with the CPU's double");
  }

  @Test
  void unusedRowsAreGreedyWithoutPenalties() {
    int[] b = new int[DeviceSampling.WORDS];
    java.util.Arrays.fill(b, 99);
    DeviceSampling.writeUnused(b, 0);
    assertEquals(0f, Float.intBitsToFloat(b[0]));
    assertEquals(-1, b[5]);
    assertEquals(1.0, doubleAt(b, 6));
    assertEquals(-1, b[16], "no logprobs");
    assertEquals(-1, b[17]);
  }

  @Test
  void modeComesFromTheSystemProperty() {
    String old = System.getProperty(DeviceSampling.MODE_PROPERTY);
    try {
      System.clearProperty(DeviceSampling.MODE_PROPERTY);
      assertEquals(Mode.FULL, Mode.fromProperty());
      System.setProperty(DeviceSampling.MODE_PROPERTY, "basic");
      assertEquals(Mode.BASIC, Mode.fromProperty());
      System.setProperty(DeviceSampling.MODE_PROPERTY, "fast");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Mode::fromProperty);
      assertTrue(e.getMessage().contains("full or basic"), e.getMessage());
    } finally {
      if (old == null) System.clearProperty(DeviceSampling.MODE_PROPERTY);
      else System.setProperty(DeviceSampling.MODE_PROPERTY, old);
    }
  }

  /** The kernel's __hiloint2double(hi, lo) of words (lo, hi) at {@code i}. */
  private static double doubleAt(int[] b, int i) {
    return Double.longBitsToDouble((b[i] & 0xFFFFFFFFL) | ((long) b[i + 1] << 32));
  }
}

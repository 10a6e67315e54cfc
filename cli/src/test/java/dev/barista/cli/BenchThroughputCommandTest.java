package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `barista bench throughput` end to end on a reference model (small sizes: a smoke run). */
class BenchThroughputCommandTest {

  @Test
  void measuresRequestsThatAskForLogprobs() {
    GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "throughput", "--model",
        GenerateCommandTest.TINY_LLAMA.toString(), "--load-format", "auto", "--num-prompts", "3",
        "--input-len", "4", "--output-len", "2", "--logprobs", "3", "--prompt-logprobs", "2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Requests: 3, input tokens: 12, output tokens: 6"), r.out());
    assertTrue(r.out().contains("Throughput: "), r.out());
    // 3 prompts of 4 tokens in one step, then the second token of each in one decode step
    assertTrue(r.out().matches("(?s).*Steps: 2 in [0-9.]+ s: 1 with prefill \\([0-9.]+ s, 12 tokens, median [0-9.]+ ms a step\\),"
        + " 1 decode-only \\([0-9.]+ s, 3 tokens, .*"), r.out());
  }

  @Test
  void negativeLogprobsOtherThanTheWholeVocabularyIsOneLine() {
    GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "throughput", "--model",
        GenerateCommandTest.TINY_LLAMA.toString(), "--num-prompts", "1", "--logprobs", "-2");
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).contains("logprobs"), r.err());
  }
}

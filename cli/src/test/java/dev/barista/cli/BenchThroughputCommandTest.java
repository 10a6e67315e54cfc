package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    // every computed token is in one kind of step: the 12 prompt tokens, and the second output
    // token of each request (the last sampled token is never computed); how the 3 requests share
    // steps depends on when the engine thread sees them
    Matcher m = Pattern.compile("Steps: (\\d+) in [0-9.]+ s: (\\d+) with prefill \\([0-9.]+ s, (\\d+) tokens, median [0-9.]+ ms"
        + " a step\\), (\\d+) decode-only \\([0-9.]+ s, (\\d+) tokens, median [0-9.]+ ms a step\\); outside the model"
        + " runner: [0-9.]+ s").matcher(r.out());
    assertTrue(m.find(), r.out());
    int steps = Integer.parseInt(m.group(1)), prefillSteps = Integer.parseInt(m.group(2));
    int prefillTokens = Integer.parseInt(m.group(3)), decodeSteps = Integer.parseInt(m.group(4));
    int decodeTokens = Integer.parseInt(m.group(5));
    assertEquals(steps, prefillSteps + decodeSteps, r.out());
    assertEquals(12 + 3, prefillTokens + decodeTokens, r.out());
    assertTrue(prefillTokens >= 12 && prefillSteps >= 1 && steps >= 2, r.out());
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

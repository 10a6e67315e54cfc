package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** `barista bench latency` end to end on a reference model (small sizes: a smoke run). */
class BenchLatencyCommandTest {

  @Test
  void printsDecodeRateRooflineAndLoadTime() {
    GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "latency", "--model",
        GenerateCommandTest.TINY_LLAMA.toString(), "--load-format", "auto", "--batch", "2",
        "--input-len", "4", "--output-len", "3", "--iters", "1", "--bandwidth-buffer-mb", "48");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("decode batch 2: "), r.out());
    assertTrue(r.out().contains("roofline (batch 1): "), r.out());
    assertTrue(r.out().contains("load time: "), r.out());
  }

  @Test
  void badInputIsOneLine() {
    GenerateCommandTest.Run r = GenerateCommandTest.run("bench", "latency", "--batch", "0");
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).contains("--batch"), r.err());
    GenerateCommandTest.Run missing = GenerateCommandTest.run("bench", "latency", "--model", "/no/such/model");
    assertEquals(1, missing.exit());
    assertEquals(List.of("error: model folder not found: /no/such/model"), missing.errLines());
  }
}

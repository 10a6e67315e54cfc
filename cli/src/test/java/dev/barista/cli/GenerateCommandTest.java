package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `barista generate` end to end through picocli, with the reference models. */
class GenerateCommandTest {
  static final Path TINY_LLAMA = Path.of("../engine/src/test/resources/models/tiny-llama");

  record Run(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().filter(l -> !l.startsWith("WARNING")).toList();
    }
  }

  static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** Exit 1 and exactly one line on stderr, containing every fragment. */
  static void assertOneLineError(Run r, String... fragments) {
    assertEquals(1, r.exit(), r.toString());
    assertEquals(1, r.errLines().size(), "one line: " + r.err());
    String line = r.errLines().getFirst();
    assertTrue(line.startsWith("error: "), line);
    for (String f : fragments) assertTrue(line.contains(f), "'" + f + "' in: " + line);
  }

  static Path copyModel(Path tmp) throws IOException {
    Path dir = tmp.resolve("model");
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(TINY_LLAMA)) {
      for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
    }
    return dir;
  }

  @Test
  void tokenIdPromptsWorkWithoutATokenizer() throws IOException {
    Run r = run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1,5,9",
        "--max-tokens", "7", "--temperature", "0", "--logprobs", "3", "--n", "2", "--json");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size());
    for (String line : lines) {
      JsonNode o = new ObjectMapper().readTree(line);
      assertEquals(7, o.get("token_ids").size());
      assertEquals(7, o.get("logprobs").size());
      assertEquals(3, o.get("logprobs").get(0).get("top_logprobs").size());
      assertEquals("length", o.get("finish_reason").asText());
      assertTrue(!o.has("text"), "no tokenizer, no text");
    }
    // greedy completions agree (logprobs only to rounding: they ran in different batches)
    JsonNode a = new ObjectMapper().readTree(lines.get(0));
    JsonNode b = new ObjectMapper().readTree(lines.get(1));
    assertEquals(a.get("token_ids"), b.get("token_ids"));
    assertEquals(a.get("cumulative_logprob").asDouble(), b.get("cumulative_logprob").asDouble(), 1e-4);
  }

  @Test
  void missingModelFolder() {
    assertOneLineError(run("generate", "--model", "/no/such/model", "--prompt-ids", "1"),
        "/no/such/model");
  }

  @Test
  void configMissingARequiredKey(@TempDir Path tmp) throws IOException {
    Path dir = copyModel(tmp);
    String config = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), config.replace("\"hidden_size\"", "\"hidden_sizeX\""));
    assertOneLineError(run("generate", "--model", dir.toString(), "--prompt-ids", "1"), "hidden_size");
  }

  @Test
  void truncatedSafetensors(@TempDir Path tmp) throws IOException {
    Path dir = copyModel(tmp);
    Path st = dir.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(st);
    Files.write(st, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertOneLineError(run("generate", "--model", dir.toString(), "--prompt-ids", "1"),
        "model.safetensors");
  }

  @Test
  void unsupportedArchitecture(@TempDir Path tmp) throws IOException {
    Path dir = copyModel(tmp);
    String config = Files.readString(dir.resolve("config.json"));
    Files.writeString(dir.resolve("config.json"), config.replace("LlamaForCausalLM", "RwkvForCausalLM"));
    assertOneLineError(run("generate", "--model", dir.toString(), "--prompt-ids", "1"),
        "RwkvForCausalLM");
  }

  @Test
  void badFlagValues() {
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1,x"),
        "prompt-ids");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1",
        "--top-p", "1.5"), "top_p");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "5000"),
        "5000");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt", "hi"),
        "tokenizer");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1",
        "--max-model-len", "256", "--kv-cache-memory", "4096"), "max_model_len 256 needs");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1",
        "--device", "tpu"), "device");
  }

  @Test
  void deviceCudaWithoutAGpuFailsInOneLine() {
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")),
        "this machine has a GPU");
    assertOneLineError(run("generate", "--model", TINY_LLAMA.toString(), "--prompt-ids", "1",
        "--device", "cuda"), "cuda");
  }

  @Test
  void inputFileKeepsOrderAndReportsBadLines(@TempDir Path tmp) throws IOException {
    Path in = tmp.resolve("in.jsonl");
    Path out = tmp.resolve("out.jsonl");
    Files.writeString(in, String.join("\n",
        "{\"prompt_token_ids\": [1, 2, 3], \"max_tokens\": 4, \"temperature\": 0}",
        "{\"prompt_token_ids\": [1, 2, 3], \"max_tokens\": \"four\"}",
        "not json",
        "{\"prompt_token_ids\": [7, 8], \"max_tokens\": 2, \"n\": 2, \"temperature\": 0}",
        "{\"prompt_token_ids\": [1, 2, 3], \"max_tokens\": 3, \"temperature\": 0}"));
    Run r = run("generate", "--model", TINY_LLAMA.toString(), "--input", in.toString(),
        "--output", out.toString());
    assertEquals(0, r.exit(), r.err());
    List<JsonNode> lines = Files.readAllLines(out).stream().map(GenerateCommandTest::json).toList();
    assertEquals(List.of(0, 1, 2, 3, 3, 4),
        lines.stream().map(l -> l.get("input_index").asInt()).toList());
    assertEquals(4, lines.get(0).get("token_ids").size());
    assertTrue(lines.get(1).get("error").asText().contains("max_tokens"));
    assertTrue(lines.get(2).get("error").asText().contains("JSON"));
    assertEquals(2, lines.get(3).get("token_ids").size());
    assertEquals(1, lines.get(4).get("index").asInt());
    // greedy: the 3-token run is the 4-token run's prefix
    assertEquals(lines.get(0).get("token_ids").get(2), lines.get(5).get("token_ids").get(2));
    assertEquals(3, lines.get(5).get("token_ids").size());
  }

  private static JsonNode json(String s) {
    try {
      return new ObjectMapper().readTree(s);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

package dev.barista.cli;

import static dev.barista.cli.GenerateCommandTest.assertOneLineError;
import static dev.barista.cli.GenerateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.barista.engine.api.EngineArgs;
import dev.barista.server.EngineBackend;
import dev.barista.server.OpenAiServer;
import dev.barista.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serve, run-batch and bench serve through picocli. */
class ServeCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TINY = GenerateCommandTest.TINY_LLAMA;
  private static final Path TINY_QWEN3 = Path.of("../models/tiny-qwen3");

  /** Whether the report has the row {@code label} with value {@code value}. */
  private static boolean line(String report, String label, int value) {
    return report.lines().anyMatch(l -> l.startsWith(label) && l.substring(label.length()).trim()
        .equals(Integer.toString(value)));
  }

  @Test
  void runBatchAnswersEveryLineInOrder(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in.jsonl");
    Path out = tmp.resolve("out.jsonl");
    Files.write(in, List.of(
        "{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": "
            + "{\"model\": \"m\", \"prompt\": \"Hello world\", \"max_tokens\": 3, \"ignore_eos\": true}}",
        "{\"custom_id\": \"b\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
            + "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], "
            + "\"max_tokens\": 2, \"ignore_eos\": true}}",
        "{\"custom_id\": \"c\", \"method\": \"POST\", \"url\": \"/v1/completions\", \"body\": "
            + "{\"model\": \"m\", \"prompt\": [1, 2], \"max_tokens\": -1}}",
        "{\"custom_id\": \"d\", \"method\": \"POST\", \"url\": \"/v1/embeddings\", \"body\": {}}"));
    GenerateCommandTest.Run r = run("run-batch", "-i", in.toString(), "-o", out.toString(),
        "--model", TINY_QWEN3.toString(), "--load-format", "dummy", "--served-model-name", "m",
        "--max-model-len", "256", "--kv-cache-memory", "16000000");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals(4, lines.size());
    JsonNode a = JSON.readTree(lines.get(0));
    assertEquals("a", a.get("custom_id").asText());
    assertEquals(200, a.at("/response/status_code").asInt());
    assertEquals(2, a.at("/response/body/usage/prompt_tokens").asInt()); // HF: [9707, 1879]
    assertEquals(3, a.at("/response/body/usage/completion_tokens").asInt());
    assertTrue(a.get("error").isNull());
    JsonNode b = JSON.readTree(lines.get(1));
    assertEquals("chat.completion", b.at("/response/body/object").asText());
    assertEquals(2, b.at("/response/body/usage/completion_tokens").asInt());
    JsonNode c = JSON.readTree(lines.get(2));
    assertEquals(400, c.at("/response/status_code").asInt());
    assertTrue(c.get("error").asText().contains("max_tokens"), c.toString());
    JsonNode d = JSON.readTree(lines.get(3));
    assertEquals(404, d.at("/response/status_code").asInt());
    assertTrue(d.get("error").asText().contains("/v1/embeddings"));
  }

  @Test
  void badInputIsOneLine(@TempDir Path tmp) throws Exception {
    Path in = tmp.resolve("in.jsonl");
    Files.write(in, List.of("{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": "
        + "\"/v1/completions\", \"body\": {}}", "{oops"));
    assertOneLineError(run("run-batch", "-i", in.toString(), "-o", tmp.resolve("o").toString(),
        "--model", TINY.toString()), "in.jsonl line 2");
    assertOneLineError(run("serve", TINY.toString(), "--tensor-parallel-size", "2"),
        "--tensor-parallel-size");
    assertOneLineError(run("serve", tmp.resolve("missing").toString()), "missing");
    assertOneLineError(run("bench", "serve", "--request-rate", "fast"), "--request-rate");
  }

  @Test
  void benchServeOverHttpAndInProcess() throws Exception {
    EngineBackend backend = EngineBackend.open(EngineArgs.builder(TINY).maxModelLen(256)
        .kvCacheMemory(16L << 20).device("cpu").build(), null);
    try (OpenAiServer server = new OpenAiServer(backend, ServerOptions.local("tiny"),
        TINY.toString()).start()) {
      GenerateCommandTest.Run r = run("bench", "serve", "--port", Integer.toString(server.port()),
          "--num-prompts", "6", "--random-input-len", "8", "--random-output-len", "4",
          "--request-rate", "50", "--max-concurrency", "3");
      assertEquals(0, r.exit(), r.err() + r.out());
      assertTrue(line(r.out(), "Successful requests:", 6), r.out());
      assertTrue(line(r.out(), "Total generated tokens:", 24), r.out());
      assertTrue(r.out().contains("Mean TTFT (ms):"));
    }
    GenerateCommandTest.Run r = run("bench", "serve", "--in-process", "--model", TINY.toString(),
        "--num-prompts", "4", "--random-input-len", "8", "--random-output-len", "4",
        "--max-model-len", "256", "--kv-cache-memory", "16000000");
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(line(r.out(), "Total generated tokens:", 16), r.out());
  }

  @Test
  void vllmServeCommandLinesAreAcceptedAndIneffectiveFlagsNamed() {
    // flags vLLM users routinely pass: accepted, each with a note; the run then stops at the
    // missing model folder, which proves the command line itself parsed
    GenerateCommandTest.Run r = run("serve", "/no/such/model", "--trust-remote-code", "--enforce-eager",
        "--disable-log-stats", "--uvicorn-log-level", "warning", "--swap-space", "4",
        "--enable-chunked-prefill", "--kv-cache-dtype", "auto", "-tp", "1", "-pp", "1",
        "--quantization", "none", "--distributed-executor-backend", "mp", "--task", "embed",
        "--runner", "pooling", "--convert", "embed");
    assertEquals(1, r.exit(), r.toString());
    List<String> lines = r.errLines();
    assertTrue(lines.getLast().startsWith("error: ") && lines.getLast().contains("/no/such/model"),
        r.err());
    for (String flag : List.of("--trust-remote-code", "--enforce-eager", "--disable-log-stats",
        "--uvicorn-log-level", "--swap-space", "--distributed-executor-backend", "--task", "--runner",
        "--convert")) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith("barista serve: note: " + flag)),
          flag + " named in: " + r.err());
    }
  }

  @Test
  void vllmServeValuesBaristaCannotHonourAreOneLineErrors() {
    assertOneLineError(run("serve", TINY.toString(), "--quantization", "awq"), "--quantization awq");
    assertOneLineError(run("serve", TINY.toString(), "--kv-cache-dtype", "fp8"), "--kv-cache-dtype fp8");
    assertOneLineError(run("serve", TINY.toString(), "-pp", "2"), "--pipeline-parallel-size 2");
    assertOneLineError(run("serve", TINY.toString(), "-tp", "2"), "--tensor-parallel-size 2");
    assertOneLineError(run("serve", TINY.toString(), "--task", "transcription"), "--task transcription");
    assertOneLineError(run("serve", TINY.toString(), "--runner", "draft"), "--runner draft");
  }
}

package dev.barista.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs `barista tokenize` on the Qwen3-shaped model folder kept in the repo. */
class TokenizeCommandTest {
  private static final Path MODEL = Path.of("../models/tiny-qwen3");

  @Test
  void writesOneResultPerLineInOrder(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Path out = dir.resolve("out.jsonl");
    Files.writeString(in, String.join("\n",
        "{\"text\": \"Hello world\", \"add_special_tokens\": false}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}], \"add_generation_prompt\": true}",
        "not json",
        "{\"text\": \"\\ud800 lone surrogate\"}",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"chat_template_kwargs\": {\"enable_thinking\": false}, \"add_generation_prompt\": true}"));
    int rc = Main.execute("tokenize", "--model", MODEL.toString(), "--input", in.toString(), "--output", out.toString());
    assertEquals(0, rc);
    List<String> lines = Files.readAllLines(out);
    assertEquals(5, lines.size());
    // Qwen3's ids for "Hello world" (reference/tokenizers/qwen3.jsonl)
    assertEquals("{\"ids\":[9707,1879]}", lines.get(0));
    assertEquals("{\"ids\":[151644,872,198,9707,0,151645,198,151644,77091,198],"
        + "\"prompt\":\"<|im_start|>user\\nHello!<|im_end|>\\n<|im_start|>assistant\\n\"}", lines.get(1));
    assertTrue(lines.get(2).startsWith("{\"error\":\"malformed JSON"), lines.get(2));
    assertTrue(lines.get(3).contains("unpaired UTF-16 surrogate"), lines.get(3));
    assertTrue(lines.get(4).contains("<think>\\n\\n</think>\\n\\n"), lines.get(4));
  }

  @Test
  void missingModelIsOneLineError(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("in.jsonl");
    Files.writeString(in, "{\"text\": \"x\"}\n");
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try {
      System.setErr(new PrintStream(err, true));
      rc = Main.execute("tokenize", "--model", dir.resolve("nope").toString(), "--input", in.toString(), "--output", dir.resolve("o").toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(1, rc);
  }
}

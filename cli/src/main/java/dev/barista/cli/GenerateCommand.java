package dev.barista.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.barista.engine.api.CompletionOutput;
import dev.barista.engine.api.InvalidParameterException;
import dev.barista.engine.api.LLM;
import dev.barista.engine.api.PromptInput;
import dev.barista.engine.api.RequestOutput;
import dev.barista.engine.api.SamplingParams;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `barista generate`: offline generation for one prompt, or a JSONL file of them. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate completions offline (one prompt, or --input IN.jsonl --output OUT.jsonl).")
public final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--model", required = true,
      description = "model folder, Hugging Face repo id (e.g. Qwen/Qwen3-0.6B), s3://bucket/prefix or file:// URI")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--prompt", description = "prompt text (needs the model's tokenizer)")
    String prompt;

    @Option(names = "--prompt-ids", description = "prompt token ids, comma-separated")
    String promptIds;

    @Option(names = "--input", description = "JSONL: one prompt or prompt_token_ids per line")
    Path input;
  }

  @Option(names = "--output", description = "JSONL results for --input (default: stdout)")
  Path output;

  @Option(names = "--json", description = "one JSON object per completion")
  boolean json;

  @Mixin SamplingOptions sampling;

  @Mixin EngineOptions engine;

  @Override
  public Integer call() throws IOException {
    if (source.input != null) return batch();
    PromptInput prompt = source.prompt != null ? PromptInput.text(source.prompt)
        : PromptInput.tokens(parseIds(source.promptIds));
    int n = sampling.n == null ? 1 : sampling.n;
    try (LLM llm = new LLM(engine.toArgs(model, Math.max(n, 1)))) {
      SamplingParams params = sampling.applyTo(llm.engine().defaultSamplingParams()).build();
      RequestOutput out = llm.generate(List.of(prompt), List.of(params), false).getFirst();
      boolean hasText = llm.engine().codec() != null;
      PrintStream stdout = System.out;
      for (CompletionOutput c : out.outputs()) {
        if (json) stdout.println(CompletionJson.of(c, hasText));
        else if (hasText) stdout.println(c.text());
        else stdout.println(String.join(" ", c.tokenIds().stream().map(String::valueOf).toList()));
      }
      stdout.flush();
    }
    return 0;
  }

  /** Runs every line of --input through one engine; a bad line becomes an error object. */
  private int batch() throws IOException {
    if (!Files.isRegularFile(source.input)) {
      throw new IllegalArgumentException("--input " + source.input + ": no such file");
    }
    List<String> lines = Files.readAllLines(source.input, StandardCharsets.UTF_8);
    try (LLM llm = new LLM(engine.toArgs(model, 256));
        BufferedWriter out = output == null
            ? new BufferedWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8))
            : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      List<Object> submitted = new ArrayList<>(); // a stream, or the line's error
      int index = 0;
      for (String line : lines) {
        if (line.isBlank()) continue;
        submitted.add(submit(llm, line, index++));
      }
      boolean hasText = llm.engine().codec() != null;
      for (int i = 0; i < submitted.size(); i++) {
        if (submitted.get(i) instanceof String error) {
          write(out, errorLine(i, error));
          continue;
        }
        RequestOutput o = last((dev.barista.engine.api.RequestOutputStream) submitted.get(i));
        for (CompletionOutput c : o.outputs()) {
          ObjectNode node = CompletionJson.MAPPER.createObjectNode().put("input_index", i);
          node.setAll(CompletionJson.of(c, hasText));
          write(out, node);
        }
      }
    }
    return 0;
  }

  private Object submit(LLM llm, String line, int index) {
    try {
      JsonNode node = CompletionJson.MAPPER.readTree(line);
      SamplingParams.Builder defaults = sampling.applyTo(llm.engine().defaultSamplingParams());
      RequestLine req = RequestLine.parse(node, defaults);
      SamplingParams params = req.params().toBuilder()
          .outputKind(dev.barista.engine.api.RequestOutputKind.FINAL_ONLY).build();
      return llm.engine().generate("line-" + index, req.prompt(), params, 0);
    } catch (IOException e) {
      return "line " + (index + 1) + " is not valid JSON: " + CliErrors.message(e);
    } catch (IllegalArgumentException e) {
      return CliErrors.message(e);
    }
  }

  private static RequestOutput last(dev.barista.engine.api.RequestOutputStream s) {
    try {
      RequestOutput last = null;
      for (RequestOutput o = s.next(); o != null; o = s.next()) last = o;
      return last;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static ObjectNode errorLine(int index, String error) {
    return CompletionJson.MAPPER.createObjectNode().put("input_index", index).put("error", error);
  }

  private static void write(BufferedWriter out, JsonNode node) {
    try {
      out.write(node.toString());
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Integer> parseIds(String s) {
    List<Integer> ids = new ArrayList<>();
    for (String part : s.split(",")) {
      try {
        ids.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw new InvalidParameterException("prompt_ids",
            "--prompt-ids must be comma-separated integers, got \"" + part.strip() + "\"");
      }
    }
    return ids;
  }
}
